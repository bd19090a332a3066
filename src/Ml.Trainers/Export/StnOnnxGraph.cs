using System.Buffers.Binary;
using System.IO.Compression;
using Onnx;

namespace Ml.Trainers.Export;

/// <summary>
/// The ONNX inference graph of a saved STN classifier (a model zip of <c>mlContext.Model.Save</c> that contains a
/// trained <see cref="StnImageClassificationTrainer"/>), with a <see cref="StnOnnxGraphDescription"/> of its tensors and
/// of the pixel preprocessing, so that any ONNX Runtime host (a model server, Spark, another language) can serve it
/// without ML.NET. The bytes are exactly those ML.NET's <c>ApplyOnnxModel</c> scores with: the same inputs give the same
/// <c>Score</c> values.
/// </summary>
/// <remarks>
/// <para>How it is read: ML.NET keeps a loaded <c>OnnxTransformer</c>'s graph internal (no public member returns it),
/// so <see cref="Read(string)"/> opens the zip with <c>System.IO.Compression</c> and takes the entry ML.NET's
/// <c>OnnxTransformer</c> saves its graph in (named <c>OnnxModel</c>, an int32 length followed by the ONNX bytes), and
/// keeps the one whose metadata says it is an STN classifier. No ML.NET, ONNX Runtime or libtorch is loaded.</para>
/// <para>Integrity: ML.NET's <c>Model.Load</c> runs whatever graph the zip holds — nothing records or checks a hash of
/// it, and ML.NET's public API offers no hook to do so while the chain is built (the <c>CustomMapping</c> of the chain
/// is created by name, without the graph; third-party transformers cannot be saved). A zip whose ONNX entry was edited
/// and re-zipped therefore loads and scores differently without an error. To detect that, record
/// <see cref="StnOnnxGraphDescription.Sha256"/> (or the SHA-256 of <see cref="StnImageClassificationTrainer.OnnxModel"/>)
/// when you save the model, and compare <c>StnOnnxGraph.Read(path).Description.Sha256</c> before serving; a hash kept
/// inside the same zip would not help, since whoever edits the graph can edit it too. Use a signature or a hash of the
/// whole file kept elsewhere against deliberate tampering.</para>
/// </remarks>
public sealed class StnOnnxGraph
{
    /// <summary>The name ML.NET's <c>OnnxTransformer</c> gives the zip entry that holds its graph.</summary>
    private const string OnnxEntryName = "OnnxModel";

    private StnOnnxGraph(byte[] onnxModel, StnOnnxGraphDescription description)
    {
        OnnxModel = onnxModel;
        Description = description;
    }

    /// <summary>The ONNX ModelProto bytes (write them to a <c>.onnx</c> file, or pass them to <c>InferenceSession</c>).</summary>
    public byte[] OnnxModel { get; }

    /// <summary>The graph's input and outputs, the pixel preprocessing, the class labels and the SHA-256.</summary>
    public StnOnnxGraphDescription Description { get; }

    /// <summary>Reads the STN classifier graph of a saved model zip.</summary>
    /// <param name="modelPath">A zip written by <c>mlContext.Model.Save</c> whose chain contains a trained STN classifier.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, holds no STN classifier graph, or holds more than one.</exception>
    public static StnOnnxGraph Read(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);
        using var stream = File.OpenRead(modelPath);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Model file '{modelPath}': {e.Message}", e);
        }
    }

    /// <summary>Reads the STN classifier graph of a saved model zip from <paramref name="modelZip"/> (left open).</summary>
    /// <exception cref="InvalidDataException">Not a zip, no STN classifier graph, or more than one.</exception>
    public static StnOnnxGraph Read(Stream modelZip)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        using var archive = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
        var graphs = new List<(byte[] Bytes, ModelProto Model)>();
        foreach (var entry in archive.Entries.Where(e => e.Name == OnnxEntryName))
        {
            var bytes = ReadOnnxEntry(entry);
            if (bytes is null)
                continue;
            ModelProto model;
            try { model = ModelProto.Parser.ParseFrom(bytes); }
            catch (Google.Protobuf.InvalidProtocolBufferException) { continue; }
            if (StnGraphMetadata.IsStnClassifier(model))
                graphs.Add((bytes, model));
        }
        return graphs.Count switch
        {
            1 => new StnOnnxGraph(graphs[0].Bytes, StnOnnxGraphDescription.Create(graphs[0].Model, graphs[0].Bytes)),
            0 => throw new InvalidDataException(
                "the zip holds no STN classifier graph: save a pipeline that contains a trained StnImageClassification trainer (mlContext.Model.Save) and read that zip."),
            _ => throw new InvalidDataException(
                $"the zip holds {graphs.Count} STN classifier graphs; export works on a model with one. Save each trained classifier's chain on its own."),
        };
    }

    /// <summary>Describes a graph held in memory, e.g. <see cref="StnImageClassificationTrainer.OnnxModel"/> after <c>Fit</c>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an STN classifier graph written by the trainer.</exception>
    public static StnOnnxGraph FromOnnxModel(byte[] onnxModel)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(onnxModel); }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("The bytes are not an ONNX model: " + e.Message, e);
        }
        return new StnOnnxGraph(onnxModel.ToArray(), StnOnnxGraphDescription.Create(model, onnxModel));
    }

    /// <summary>The ONNX bytes of an <c>OnnxModel</c> entry (int32 little-endian length, then the bytes), or null when it is not one.</summary>
    private static byte[]? ReadOnnxEntry(ZipArchiveEntry entry)
    {
        if (entry.Length < 4 || entry.Length > int.MaxValue)
            return null;
        using var stream = entry.Open();
        var content = new byte[entry.Length];
        stream.ReadExactly(content);
        int length = BinaryPrimitives.ReadInt32LittleEndian(content);
        return length == content.Length - 4 ? content[4..] : null;
    }
}
