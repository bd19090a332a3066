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
/// <para>Integrity: ML.NET's <c>Model.Load</c> checks neither the zip's CRC-32s nor the graph it runs, so a damaged
/// model loads and scores differently without an error. <see cref="Read(string)"/> first checks the whole file as
/// <see cref="StnModelFile.Verify(string)"/> does (every entry's CRC-32 and length, and the SHA-256 each trained graph
/// records of itself) and refuses a damaged one, naming the entry; call <see cref="StnModelFile.Verify(string)"/>
/// yourself before <c>mlContext.Model.Load</c>. These checks find damage, not tampering (whoever edits the graph on
/// purpose can update the checksums too): against that, keep <see cref="StnOnnxGraphDescription.Sha256"/> or a
/// signature of the whole file elsewhere and compare it before serving.</para>
/// </remarks>
public sealed class StnOnnxGraph
{
    private StnOnnxGraph(byte[] onnxModel, StnOnnxGraphDescription description)
    {
        OnnxModel = onnxModel;
        Description = description;
    }

    /// <summary>The ONNX ModelProto bytes (write them to a <c>.onnx</c> file, or pass them to <c>InferenceSession</c>).</summary>
    public byte[] OnnxModel { get; }

    /// <summary>The graph's input and outputs, the pixel preprocessing, the class labels and the SHA-256.</summary>
    public StnOnnxGraphDescription Description { get; }

    /// <summary>Reads the STN classifier graph of a saved model zip, after checking the whole file (<see cref="StnModelFile.Verify(string)"/>).</summary>
    /// <param name="modelPath">A zip written by <c>mlContext.Model.Save</c> whose chain contains a trained STN classifier.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, is damaged (the message names the entry), holds no STN
    /// classifier graph, or holds more than one.</exception>
    public static StnOnnxGraph Read(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);
        using var stream = File.OpenRead(modelPath);
        return Read(stream, modelPath);
    }

    /// <summary>Reads the STN classifier graph of a saved model zip from <paramref name="modelZip"/> (left open), after checking every entry.</summary>
    /// <exception cref="InvalidDataException">Not a zip, damaged, no STN classifier graph, or more than one.</exception>
    public static StnOnnxGraph Read(Stream modelZip)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        return Read(modelZip, "(stream)");
    }

    private static StnOnnxGraph Read(Stream modelZip, string name)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Model file '{name}' is not a zip archive ({e.Message}): save the model with mlContext.Model.Save and read that zip.", e);
        }
        using (archive)
        {
            StnModelFile.Verify(archive, name);
            var graphs = new List<(byte[] Bytes, ModelProto Model)>();
            foreach (var entry in archive.Entries.Where(e => e.Name == StnModelFile.OnnxEntryName))
            {
                using var stream = entry.Open();
                var content = new byte[entry.Length];
                stream.ReadExactly(content);
                if (StnModelFile.Graph(content) is { } model && StnGraphMetadata.IsStnClassifier(model))
                    graphs.Add((content[4..], model));
            }
            return graphs.Count switch
            {
                1 => new StnOnnxGraph(graphs[0].Bytes, StnOnnxGraphDescription.Create(graphs[0].Model, graphs[0].Bytes)),
                0 => throw new InvalidDataException(
                    $"Model file '{name}': the zip holds no STN classifier graph: save a pipeline that contains a trained StnImageClassification trainer (mlContext.Model.Save) and read that zip."),
                _ => throw new InvalidDataException(
                    $"Model file '{name}': the zip holds {graphs.Count} STN classifier graphs; export works on a model with one. Save each trained classifier's chain on its own."),
            };
        }
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
}
