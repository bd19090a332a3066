using Spectre.Console.Cli;
using TrafficSigns.Cli;
using System.Globalization;
using System.Text;
using Ml.Trainers.Export;

namespace TrafficSigns.Commands;

/// <summary>
/// Takes the ONNX graph out of a saved model so any ONNX Runtime host can serve it: writes model.onnx (the exact bytes
/// ML.NET scores with), model.json (its description: input and output names, shapes, types, the pixel preprocessing,
/// the class labels, the SHA-256) and model.md (the same for people), each file atomically.
/// </summary>
internal sealed class ExportCommand : Command<ExportSettings>
{
    public override int Execute(CommandContext context, ExportSettings options, CancellationToken cancellation)
    {
        var modelPath = options.Model!;
        var outputDir = options.Output;

        StnOnnxGraph graph;
        try
        {
            graph = StnOnnxGraph.Read(modelPath);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"--model: {e.Message}");
        }
        var d = graph.Description;
        using var output = OutputFolder.Claim(outputDir, ExportSettings.OutputFiles, refuseExisting: false, "export");
        AtomicFile.Write(Path.Combine(outputDir, "model.onnx"), stream => stream.Write(graph.OnnxModel));
        AtomicFile.WriteAllText(Path.Combine(outputDir, "model.json"), d.ToJson() + "\n");
        AtomicFile.WriteAllText(Path.Combine(outputDir, "model.md"), Markdown(d, Path.GetFileName(modelPath)));
        Console.WriteLine($"Exported {Path.GetFullPath(Path.Combine(outputDir, "model.onnx"))} ({graph.OnnxModel.Length:N0} bytes, sha256 {d.Sha256}).");
        Console.WriteLine($"Input '{d.Input.Name}' float32 [{string.Join(", ", d.Input.Shape)}]; outputs {string.Join(", ", d.Outputs.Select(o => $"'{o.Name}'"))}. See model.md.");
        if (output.Replaced.Count > 0)
            Console.WriteLine($"Replaced the earlier export's {string.Join(", ", output.Replaced)} in {output.Path}.");
        return 0;
    }

    private static string Markdown(StnOnnxGraphDescription d, string modelName)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# ONNX graph of {modelName}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{d.Summary}  \nProducer {d.Producer}, opset {d.OpsetVersion}, SHA-256 `{d.Sha256}`.\n\n");
        md.Append("| tensor | name | type | shape | meaning |\n|---|---|---|---|---|\n");
        md.Append(CultureInfo.InvariantCulture, $"| input | `{d.Input.Name}` | {d.Input.ElementType} | [{string.Join(", ", d.Input.Shape)}] | {d.Input.Meaning} |\n");
        foreach (var o in d.Outputs)
            md.Append(CultureInfo.InvariantCulture, $"| output | `{o.Name}` | {o.ElementType} | [{string.Join(", ", o.Shape)}] | {o.Meaning} |\n");
        md.Append("\n## Pixels\n\n");
        md.Append(d.InputIsImage
            ? string.Create(CultureInfo.InvariantCulture,
                $"1. Decode the image to 8-bit RGB(A).\n2. Resize to {d.Width}×{d.Height} by nearest neighbour, stretching (the aspect ratio is not kept): output pixel (x, y) is source pixel (⌊(x + ½)·w / {d.Width}⌋, ⌊(y + ½)·h / {d.Height}⌋).\n3. Drop alpha after multiplying R, G and B by alpha / 255 (SkiaSharp decodes semi-transparent pixels premultiplied; opaque pixels are unchanged); write the R plane, then G, then B (channel-major, {d.Layout}), each row by row.\n4. Multiply every byte by 1/255 (no offset, no mean or standard deviation).\n5. One image is {d.Channels * d.Height * d.Width} floats; stack N of them as [N, {d.Channels * d.Height * d.Width}].\n")
            : string.Create(CultureInfo.InvariantCulture,
                $"The model was trained on a float pixel vector: feed the same vectors ({d.Channels}×{d.Height}×{d.Width}, channel-major) as they are.\n"));
        md.Append("\n## Classes\n\n`Score` slot i is class i (ML.NET key i + 1):\n\n");
        for (int i = 0; i < d.ClassLabels.Count; i++)
            md.Append(CultureInfo.InvariantCulture, $"{i}. {d.ClassLabels[i]}\n");
        md.Append("\nA row with a NaN or infinite pixel (or whose warp or score is not finite) comes out with NaN scores and the label \"\" (empty); the other rows of the batch are unaffected.\n");
        return md.ToString();
    }
}
