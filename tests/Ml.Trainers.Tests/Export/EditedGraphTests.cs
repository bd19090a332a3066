using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;
using Ml.Trainers.Export;
using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;

namespace Ml.Trainers.Tests.Export;

/// <summary>
/// What ML.NET does with a model zip whose ONNX graph was changed after saving (issue 13, item 6; issue 29, item 4).
/// ML.NET checks neither the zip's CRC-32s nor the graph, and its public API has no hook to check one while
/// <c>Model.Load</c> builds the chain: an edit that is re-zipped properly, and a byte flipped in place, load and score
/// differently without an error (measured here). <see cref="StnModelFile.Verify(string)"/> and
/// <see cref="StnOnnxGraph.Read(string)"/> refuse both: the first by the SHA-256 the graph records of itself, the second
/// by the entry's stale CRC-32.
/// </summary>
[TestClass]
public sealed class EditedGraphTests
{
    [TestMethod]
    public void AnEditedGraphLoadsAndScoresDifferentlyInMlNetAndItsRecordedHashRefusesIt()
    {
        using var tiny = new TinyImageModel();
        StnModelFile.Verify(tiny.ZipPath);   // the intact model passes
        var edited = Path.Combine(tiny.Folder, "edited.zip");
        File.Copy(tiny.ZipPath, edited);
        EditOnnxEntry(edited, model =>
        {
            // +3 on the bias of class 0 of the classifier's last layer: a valid graph that favours "red".
            var bias = model.Graph.Initializer.Single(t => t.Name == "classifier_fc_bias");
            bias.FloatData[0] += 3;
        });

        var ml = new MLContext(0).RegisterStnComponents();
        var original = ml.Model.Load(tiny.ZipPath, out _).Transform(tiny.Rows).GetColumn<float[]>("Score").ToList();
        var changed = ml.Model.Load(edited, out _).Transform(tiny.Rows).GetColumn<float[]>("Score").ToList();
        double difference = original.Zip(changed, (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max()).Max();
        Assert.IsGreaterThan(0.1, difference, "the edited model scores differently, and Load did not throw");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => StnModelFile.Verify(edited));
        StringAssert.Contains(e.Message, $"Model file '{edited}' is damaged: zip entry '");
        StringAssert.Contains(e.Message, "': the ONNX graph's SHA-256 is ");
        Assert.AreEqual(e.Message, Assert.ThrowsExactly<InvalidDataException>(() => StnOnnxGraph.Read(edited)).Message);
    }

    [TestMethod]
    public void AByteFlippedInTheStoredGraphLoadsInMlNetWhichChecksNoZipChecksumAndItsCrcRefusesIt()
    {
        // Corruption without a re-zip leaves the entry's CRC-32 stale; ML.NET's Model.Load reads the entry anyway. (The
        // entry is first stored uncompressed, so the flip lands in a weight instead of breaking the deflate stream.)
        using var tiny = new TinyImageModel();
        StnModelFile.Verify(tiny.ZipPath);   // the intact model passes
        var corrupted = Path.Combine(tiny.Folder, "corrupted.zip");
        File.Copy(tiny.ZipPath, corrupted);
        float bias = 0;
        EditOnnxEntry(corrupted, model => bias = model.Graph.Initializer.Single(t => t.Name == "classifier_fc_bias").FloatData[0], CompressionLevel.NoCompression);
        var bytes = File.ReadAllBytes(corrupted);
        int at = bytes.AsSpan().IndexOf(BitConverter.GetBytes(bias));
        Assert.IsGreaterThan(0, at, "the stored bias bytes");
        bytes[at + 3] ^= 0x40; // an exponent bit: the bias of class 0 becomes huge (or tiny)
        File.WriteAllBytes(corrupted, bytes);

        var ml = new MLContext(0).RegisterStnComponents();
        var original = ml.Model.Load(tiny.ZipPath, out _).Transform(tiny.Rows).GetColumn<float[]>("Score").ToList();
        var changed = ml.Model.Load(corrupted, out _).Transform(tiny.Rows).GetColumn<float[]>("Score").ToList();
        double difference = original.Zip(changed, (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max()).Max();
        Console.WriteLine($"bias {bias} → {BitConverter.ToSingle(bytes, at)}; max score change {difference}");
        Assert.IsGreaterThan(0.1, difference, "the corrupted model loads and scores differently");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => StnModelFile.Verify(corrupted));
        StringAssert.Contains(e.Message, $"Model file '{corrupted}' is damaged: zip entry '");
        StringAssert.Contains(e.Message, "': its CRC-32 is ");
        Assert.AreEqual(e.Message, Assert.ThrowsExactly<InvalidDataException>(() => StnOnnxGraph.Read(corrupted)).Message);
    }

    /// <summary>Rewrites the zip entry "…/OnnxModel" (int32 length + ONNX bytes) with <paramref name="edit"/> applied.</summary>
    private static void EditOnnxEntry(string zip, Action<ModelProto> edit, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Update);
        var entry = archive.Entries.Single(e => e.Name == "OnnxModel");
        byte[] content;
        using (var stream = entry.Open())
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            content = buffer.ToArray();
        }
        var model = ModelProto.Parser.ParseFrom(content.AsSpan(4).ToArray());
        edit(model);
        var onnx = model.ToByteArray();
        var name = entry.FullName;
        entry.Delete();
        using var output = archive.CreateEntry(name, level).Open();
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, onnx.Length);
        output.Write(length);
        output.Write(onnx);
    }
}
