using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Transforms.Onnx;
using Ml.Trainers.Export;
using ScoringService.Scoring;

namespace ScoringService.Model;

/// <summary>
/// Cuts a saved chain where a decoded image can be fed to it. A saved pipeline starts from an image PATH
/// (<c>LoadImages</c>) and often maps the training label to a key; a service gets image BYTES and no label. So the
/// decoded upload goes into the image column <c>LoadImages</c> makes (or the model takes as input), and the chain runs
/// from the first step after the image loading that needs nothing but the image (<c>MapValueToKey("Label")</c> is
/// skipped wherever it stands; every other step runs as saved). A model trained on a float pixel vector given as input
/// gets ML.NET's own resize and pixel extraction in front, made as an image model makes its pixels.
/// </summary>
public static class ImageChain
{
    /// <summary>
    /// The part of the loaded chain a decoded image is fed to, the image column it reads, and its output schema.
    /// </summary>
    public static (ITransformer Chain, string ImageColumn, DataViewSchema Output) Cut(MLContext mlContext, ITransformer model,
        DataViewSchema inputSchema, StnOnnxGraphDescription description, string path)
    {
        var parts = ScoringPipeline.Parts(model).ToList();
        int onnx = parts.FindIndex(t => t is OnnxTransformer);
        if (onnx < 0)
            throw new ModelLoadException($"'{path}': the model's chain holds no ONNX scoring step.");
        int loader = parts.FindLastIndex(onnx, t => t is ImageLoadingTransformer);

        // The image columns there are once the images are loaded (made by LoadImages, or given as input): the decoded
        // upload goes into one of them, and the model's own steps make its pixels from it.
        var loaded = new TransformerChain<ITransformer>([.. parts.Take(loader + 1)]).GetOutputSchema(inputSchema);
        var candidates = loaded.Where(c => !c.IsHidden && c.Type is ImageDataViewType).Select(c => c.Name).ToList();
        List<ITransformer> prefix = [];
        if (candidates.Count == 0)
        {
            if (description.InputIsImage)
                throw new ModelLoadException($"'{path}': the model reads images but its chain makes no image column to feed a decoded image to; save the whole fitted pipeline (mlContext.Model.Save(model, …)).");
            if (description.Channels != 3)
                throw new ModelLoadException($"'{path}': the model reads {description.Channels}-channel pixel vectors ('{description.Input.Name}'); this service makes RGB (3-channel) pixels from the images it receives.");
            // A model trained on a float pixel vector given as input: make the vector as an image model makes its
            // pixels (ResizeImages, Fill; ExtractPixels: R, G, B planes, /255).
            const string image = "ServiceImage", resized = "ServiceImageResized";
            var pixels = mlContext.Transforms.ResizeImages(resized, description.Width, description.Height, image, ImageResizingEstimator.ResizingKind.Fill)
                .Append(mlContext.Transforms.ExtractPixels(description.Input.Name, resized, ImagePixelExtractingEstimator.ColorBits.Rgb,
                    ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false, offsetImage: 0, scaleImage: 1f / 255, outputAsFloatArray: true))
                .Fit(ImageRows.Empty(image));
            candidates = [image];
            prefix = [.. ScoringPipeline.Parts(pixels)];
        }

        // From the first step after the image loading that needs nothing but the image (e.g. skip MapValueToKey("Label")).
        var errors = new List<string>();
        foreach (var imageColumn in candidates)
        {
            var input = ImageRows.Schema(imageColumn);
            for (int start = loader + 1; start <= onnx; start++)
            {
                var chain = new TransformerChain<ITransformer>([.. prefix, .. parts.Skip(start)]);
                try
                {
                    return (chain, imageColumn, chain.GetOutputSchema(input));
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
                {
                    errors.Add(ModelLoadException.OneLine(e.Message));
                }
            }
        }
        throw new ModelLoadException($"'{path}': the model's chain cannot be fed a decoded image in column '{string.Join("' or '", candidates)}' ({errors.LastOrDefault()}).");
    }
}
