using TrafficSigns.Cli;
using Spectre.Console.Cli;
using TrafficSigns.Experiments.Cli;
using System.Globalization;
using System.Text;
using Ml.Transforms.Devices;
using TrafficSigns.Experiments.Diagnostics;
using Ml.Transforms.Imaging;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Commands;

/// <summary>
/// The paper's gradient-direction experiment: for 10×10 translations of a photograph, how often the gradient of the
/// MSE to the identity warp points back to the identity, per sampler and output size. Writes a markdown table and a CSV.
/// </summary>
internal sealed class GradientFieldCommand : Command<PhotoSettings>
{
    private static readonly int[] OutputSizes = { 16, 32, 64 };
    private static readonly SamplingMode[] Modes = { SamplingMode.Bilinear, SamplingMode.MultiScale, SamplingMode.Linearized };

    public override int Execute(CommandContext context, PhotoSettings options, CancellationToken cancellation)
    {
        var imagePath = options.Image;
        var outputDir = options.Output;
        int seed = options.Seed;
        var device = options.Device;

        using var image = ImageTensors.Load(imagePath, device);
        Console.WriteLine($"Gradient-direction field on {Path.GetFileName(imagePath)} ({image.shape[3]}×{image.shape[2]}), seed {seed}, device {image.device}");
        Console.WriteLine("Cells (of 100) whose gradient points back to the identity:");
        Console.WriteLine($"{"sampler",-12}" + string.Concat(OutputSizes.Select(s => $"{"out " + s,8}")));

        var csv = new StringBuilder("sampler,output_size,tx,ty,grad_tx,grad_ty,correct\n");
        var markdown = new StringBuilder($"# Gradient-direction field — {Path.GetFileName(imagePath)}, seed {seed}\n\n")
            .AppendLine("Correct cells out of 100 (gradient within 90° of the translation).\n")
            .AppendLine("| sampler | " + string.Join(" | ", OutputSizes.Select(s => $"out {s}")) + " |")
            .AppendLine("|---|" + string.Concat(OutputSizes.Select(_ => "---:|")));
        foreach (var mode in Modes)
        {
            var counts = new List<int>();
            foreach (int size in OutputSizes)
            {
                using var generator = new Generator((ulong)seed);
                var field = GradientField.Measure(image, size, mode, new SamplerOptions { Generator = generator });
                counts.Add(field.CorrectCount);
                for (int i = 0; i < field.Total; i++)
                    csv.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"{mode},{size},{field.TranslationX[i]:R},{field.TranslationY[i]:R},{field.GradientX[i]:R},{field.GradientY[i]:R},{(field.IsCorrect(i) ? 1 : 0)}"));
            }
            Console.WriteLine($"{mode,-12}" + string.Concat(counts.Select(c => $"{c,8}")));
            markdown.AppendLine($"| {mode} | " + string.Join(" | ", counts) + " |");
        }

        AtomicFile.WriteAllText(Path.Combine(outputDir, "gradient-field.md"), markdown.ToString());
        AtomicFile.WriteAllText(Path.Combine(outputDir, "gradient-field.csv"), csv.ToString());
        Console.WriteLine($"Wrote {Path.Combine(outputDir, "gradient-field.md")} and gradient-field.csv");
        return 0;
    }
}
