using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers;
using Ml.Transforms.Devices;

namespace TrafficSigns.Tests;

/// <summary>A model the sample's commands can read, trained in a second: what <c>train</c> saves, at 16×16 on 8 PNGs.</summary>
internal static class TinyModel
{
    public sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    /// <summary>Trains a 16×16 classifier on 8 generated PNGs (1 epoch) and saves it as model.zip in <paramref name="folder"/>.</summary>
    public static (string Zip, byte[] Onnx) Train(string folder)
    {
        var random = new Random(0);
        var rows = new List<Row>();
        for (int i = 0; i < 8; i++)
        {
            var rgba = new byte[20 * 20 * 4];
            random.NextBytes(rgba);
            for (int p = 3; p < rgba.Length; p += 4) rgba[p] = 255;
            using var image = MLImage.CreateFromPixels(20, 20, MLPixelFormat.Rgba32, rgba);
            var path = Path.Combine(folder, $"{i}.png");
            image.Save(path);
            rows.Add(new Row { ImagePath = path, Label = i % 2 == 0 ? "stop" : "yield" });
        }
        var ml = new MLContext(0).RegisterStnComponents();
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
        {
            Transformer = { ImageWidth = 16, ImageHeight = 16 },
            Training = { Epochs = 1, BatchSize = 4, Device = ComputeDevice.Cpu },
        });
        var model = ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"))
            .Fit(data);
        var zip = Path.Combine(folder, "model.zip");
        ml.Model.Save(model, data.Schema, zip);
        return (zip, trainer.OnnxModel!);
    }
}
