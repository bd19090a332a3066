using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using Ml.Trainers.Export;
using Onnx;

namespace Ml.Trainers;

/// <summary>
/// Checks a saved model file (a zip of <c>mlContext.Model.Save</c>) before it is loaded. ML.NET's <c>Model.Load</c>
/// does not check a zip entry's CRC-32 on the way it reads, so a model whose bytes were damaged on disk or in transfer
/// loads and scores differently without an error. Call <see cref="Verify(string)"/> before <c>mlContext.Model.Load</c>:
/// it reads every entry and compares its CRC-32 and length, and the SHA-256 that each STN classifier graph records of
/// itself when it is trained.
/// </summary>
/// <remarks>
/// This detects damage, not tampering: whoever changes a model on purpose can recompute the checksums inside it. Against
/// that, keep a hash or signature of the whole file elsewhere and compare it before loading.
/// </remarks>
public static class StnModelFile
{
    /// <summary>The name ML.NET's <c>OnnxTransformer</c> gives the zip entry that holds its graph (an int32 length, then the ONNX bytes).</summary>
    internal const string OnnxEntryName = "OnnxModel";

    /// <summary>Checks every entry of the model zip <paramref name="modelPath"/>; returns when the file is intact.</summary>
    /// <param name="modelPath">A zip written by <c>mlContext.Model.Save</c>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or an entry is damaged: the message names the file and the entry.</exception>
    public static void Verify(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);
        using var stream = File.OpenRead(modelPath);
        Verify(stream, modelPath);
    }

    /// <summary>Checks every entry of a model zip read from <paramref name="modelZip"/> (left open).</summary>
    /// <param name="modelZip">The zip's bytes (seekable, or it is buffered).</param>
    /// <param name="name">What to call the file in messages, e.g. its path or an upload's name.</param>
    /// <exception cref="InvalidDataException">The bytes are not a zip, or an entry is damaged: the message names the file and the entry.</exception>
    public static void Verify(Stream modelZip, string name)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Model file '{name}' is not a zip archive ({e.Message}): it is not a model saved by mlContext.Model.Save, or it was cut or damaged.", e);
        }
        using (archive)
            Verify(archive, name);
    }

    /// <summary>The checks of <see cref="Verify(Stream, string)"/> on an open archive (also run by <see cref="StnOnnxGraph.Read(Stream)"/>).</summary>
    internal static void Verify(ZipArchive archive, string name)
    {
        if (archive.Entries.Count == 0)
            throw new InvalidDataException($"Model file '{name}' is an empty zip: it holds no model.");
        foreach (var entry in archive.Entries)
        {
            var content = ReadChecked(entry, name);
            if (entry.Name != OnnxEntryName)
                continue;
            var graph = Graph(content) ?? throw Damaged(name, entry, "it is not an ONNX graph (an int32 length, then the graph's bytes), as ML.NET's OnnxTransformer saves it");
            if (RecordedGraphHash.Problem(graph) is { } problem)
                throw Damaged(name, entry, problem);
        }
    }

    /// <summary>The entry's bytes, read in full and checked against its recorded length and CRC-32.</summary>
    private static byte[] ReadChecked(ZipArchiveEntry entry, string name)
    {
        if (entry.Length > int.MaxValue)
            throw Damaged(name, entry, string.Create(CultureInfo.InvariantCulture, $"it says it holds {entry.Length} bytes, more than a model entry can"));
        var content = new byte[entry.Length];
        int read;
        try
        {
            using var stream = entry.Open();
            read = stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
            if (read == content.Length && stream.ReadByte() >= 0)
                throw Damaged(name, entry, string.Create(CultureInfo.InvariantCulture, $"it holds more than the {entry.Length} bytes its header records"));
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("Model file", StringComparison.Ordinal))
        {
            throw Damaged(name, entry, $"it cannot be decompressed ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw Damaged(name, entry, $"it cannot be read ({e.Message})", e);
        }
        if (read != content.Length)
            throw Damaged(name, entry, string.Create(CultureInfo.InvariantCulture, $"it holds {read} of the {entry.Length} bytes its header records (the file was cut?)"));
        uint crc = Crc32.HashToUInt32(content);
        if (crc != entry.Crc32)
            throw Damaged(name, entry, string.Create(CultureInfo.InvariantCulture, $"its CRC-32 is {crc:x8}, not the {entry.Crc32:x8} recorded when it was saved"));
        return content;
    }

    /// <summary>The ONNX graph of an <c>OnnxModel</c> entry's bytes (int32 little-endian length, then the graph), or null when they are not one.</summary>
    internal static ModelProto? Graph(byte[] content)
    {
        if (content.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(content) != content.Length - 4)
            return null;
        try
        {
            return ModelProto.Parser.ParseFrom(content, 4, content.Length - 4);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static InvalidDataException Damaged(string name, ZipArchiveEntry entry, string problem, Exception? inner = null) =>
        new($"Model file '{name}' is damaged: zip entry '{entry.FullName}': {problem}. The file changed after it was saved (disk or transfer damage?): use an intact copy, or train the model again.", inner);
}
