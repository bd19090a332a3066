using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;
using Microsoft.ML;
using Ml.Trainers.Export;
using Ml.Trainers.Tests.Export;
using Onnx;

namespace Ml.Trainers.Tests;

/// <summary>
/// Issue 29, item 4: a saved model is verified when read. The sweep's case — bytes damaged inside the ONNX entry of
/// model.zip with the zip's CRC left as it was — loaded in ML.NET and scored differently without an error.
/// </summary>
[TestClass]
public sealed class StnModelFileTests
{
    private static TinyImageModel tiny = null!;

    [ClassInitialize]
    public static void Train(TestContext _) => tiny = new TinyImageModel();

    [ClassCleanup]
    public static void Cleanup() => tiny.Dispose();

    [TestMethod]
    public void AnIntactModelPassesAndItsGraphRecordsItsOwnSha256()
    {
        StnModelFile.Verify(tiny.ZipPath);
        var graph = ModelProto.Parser.ParseFrom(tiny.Trainer.OnnxModel);
        var recorded = graph.MetadataProps.Last();
        Assert.AreEqual("mllinearized.graph_sha256", recorded.Key);
        graph.MetadataProps.RemoveAt(graph.MetadataProps.Count - 1);
        Assert.AreEqual(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(graph.ToByteArray())).ToLowerInvariant(), recorded.Value);
        Assert.HasCount(3, StnOnnxGraph.Read(tiny.ZipPath).Description.ClassLabels);
    }

    [TestMethod]
    public void BytesDamagedInsideTheOnnxEntryAreRefusedNamingTheFileAndTheEntry()
    {
        var bytes = File.ReadAllBytes(tiny.ZipPath);
        var (entry, start, length) = EntryData(bytes, "OnnxModel");
        var folder = Directory.CreateTempSubdirectory("stn-model-file-").FullName;
        try
        {
            bool mlNetLoadedADamagedOne = false;
            foreach (double at in new[] { 0.1, 0.5, 0.9 })
            {
                var damaged = (byte[])bytes.Clone();
                damaged[start + (int)(length * at)] ^= 0x10;   // the zip's CRC stays as it was
                var path = Path.Combine(folder, $"damaged-{at}.zip");
                File.WriteAllBytes(path, damaged);

                var e = Assert.ThrowsExactly<InvalidDataException>(() => StnModelFile.Verify(path));
                StringAssert.StartsWith(e.Message, $"Model file '{path}' is damaged: zip entry '{entry}': ");
                // A flipped bit inside deflated data shows as a wrong CRC-32, a stream that cannot be inflated, or one that
                // inflates to another length than the header records — which, depends on where it falls in the model's bytes.
                Assert.IsTrue(e.Message.Contains("CRC-32", StringComparison.Ordinal) || e.Message.Contains("cannot be decompressed", StringComparison.Ordinal)
                    || e.Message.Contains("bytes its header records", StringComparison.Ordinal), e.Message);
                StringAssert.StartsWith(Assert.ThrowsExactly<InvalidDataException>(() => StnOnnxGraph.Read(path)).Message, $"Model file '{path}' is damaged: zip entry '{entry}'");
                try
                {
                    new MLContext().RegisterStnComponents().Model.Load(path, out _);
                    mlNetLoadedADamagedOne = true;
                }
                catch (Exception)
                {
                    // ML.NET noticed this one itself (the deflate stream broke).
                }
            }
            Console.WriteLine($"ML.NET's Model.Load accepted a damaged zip: {mlNetLoadedADamagedOne}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void AGraphChangedAndReZippedWithANewCrcIsRefusedByItsRecordedSha256()
    {
        var folder = Directory.CreateTempSubdirectory("stn-model-file-").FullName;
        try
        {
            var path = Path.Combine(folder, "rezipped.zip");
            File.Copy(tiny.ZipPath, path);
            string entryName;
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var entry = zip.Entries.Single(e => e.Name == "OnnxModel");
                entryName = entry.FullName;
                var buffer = new MemoryStream();
                using (var stream = entry.Open())
                    stream.CopyTo(buffer);
                var content = buffer.ToArray();
                var graph = ModelProto.Parser.ParseFrom(content, 4, content.Length - 4);
                var weights = graph.Graph.Initializer.First(t => t.FloatData.Count > 0);
                // One weight changes in its last mantissa bit.
                weights.FloatData[0] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(weights.FloatData[0]) ^ 1);
                var changed = graph.ToByteArray();
                entry.Delete();
                using var replaced = zip.CreateEntry(entryName).Open();
                var length = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(length, changed.Length);
                replaced.Write(length);
                replaced.Write(changed);
            }
            var e = Assert.ThrowsExactly<InvalidDataException>(() => StnModelFile.Verify(path));
            StringAssert.StartsWith(e.Message, $"Model file '{path}' is damaged: zip entry '{entryName}': the ONNX graph's SHA-256 is ");
            StringAssert.Contains(e.Message, "recorded when it was trained");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void AMissingFileACutFileAndAFileThatIsNoZipAreRefusedByName()
    {
        var folder = Directory.CreateTempSubdirectory("stn-model-file-").FullName;
        try
        {
            var missing = Path.Combine(folder, "missing.zip");
            StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => StnModelFile.Verify(missing)).Message, missing);

            var cut = Path.Combine(folder, "cut.zip");
            var bytes = File.ReadAllBytes(tiny.ZipPath);
            File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
            StringAssert.StartsWith(Assert.ThrowsExactly<InvalidDataException>(() => StnModelFile.Verify(cut)).Message, $"Model file '{cut}' is not a zip archive");

            var text = Path.Combine(folder, "notes.zip");
            File.WriteAllText(text, "not a model");
            StringAssert.StartsWith(Assert.ThrowsExactly<InvalidDataException>(() => StnModelFile.Verify(text)).Message, $"Model file '{text}' is not a zip archive");

            using var upload = new MemoryStream(bytes);
            StnModelFile.Verify(upload, "upload.zip");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Where the stored (compressed) bytes of the zip entry named <paramref name="name"/> are in the raw file.</summary>
    internal static (string FullName, int Start, int Length) EntryData(byte[] zip, string name)
    {
        for (int at = 0; at + 30 <= zip.Length; at++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) != 0x04034b50)   // local file header
                continue;
            int compressed = BinaryPrimitives.ReadInt32LittleEndian(zip.AsSpan(at + 18));
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 26));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28));
            var fullName = System.Text.Encoding.UTF8.GetString(zip, at + 30, nameLength);
            if (fullName == name || fullName.EndsWith("/" + name, StringComparison.Ordinal) || fullName.EndsWith("\\" + name, StringComparison.Ordinal))
                return (fullName, at + 30 + nameLength + extraLength, compressed);
        }
        throw new InvalidDataException($"no entry '{name}'");
    }
}
