using System.Reflection;
using Ml.Transforms.Estimators;
using Ml.Transforms.Geometry;
using Ml.Transforms.Tests.Support;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Estimators;

/// <summary>The catalog's two overloads per transform: the simple one is the options one with the options' defaults.</summary>
[TestClass]
public sealed class SpatialTransformCatalogTests
{
    [TestMethod]
    [DataRow(nameof(SpatialTransformCatalog.WarpImages), typeof(ImageWarpOptions))]
    [DataRow(nameof(SpatialTransformCatalog.AlignImages), typeof(LearnedAlignmentOptions))]
    public void TheSimpleOverloadsDefaultsAreTheOptionsDefaults(string method, Type optionsType)
    {
        var simple = typeof(SpatialTransformCatalog).GetMethods().Single(m => m.Name == method && m.GetParameters().All(p => p.ParameterType != optionsType));
        var defaults = Activator.CreateInstance(optionsType)!;
        // The options' own settings, then those of its parts (Transformer, and Training for AlignImages).
        var holders = new List<object> { defaults, ((WarpedImageOptions)defaults).Transformer };
        if (defaults is LearnedAlignmentOptions learned)
            holders.Add(learned.Training);
        int compared = 0;
        foreach (var parameter in simple.GetParameters().Where(p => p.HasDefaultValue && !p.Name!.EndsWith("ColumnName", StringComparison.Ordinal) || p.Name == "warpColumnName"))
        {
            var (holder, property) = holders.Select(h => (h, h.GetType().GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)))
                .FirstOrDefault(x => x.Item2 is not null);
            if (property is null) continue;
            Assert.AreEqual(property.GetValue(holder), parameter.DefaultValue, $"{method}({parameter.Name}) vs {holder!.GetType().Name}.{property.Name}");
            compared++;
        }
        Assert.IsGreaterThanOrEqualTo(3, compared, "the defaults were compared");
    }

    [TestMethod]
    public void WarpImagesSimpleAndOptionsOverloadsGiveTheSameRows()
    {
        var ml = new MLContext(0);
        using var images = Grids.Image(2, 3, 16, 16, ScalarType.Float32, seed: 7);
        var data = PixelData.From(ml, images);
        float[] parameters = [0.1f, -0.05f, 0.2f, 0.1f];
        var simple = ml.Transforms.WarpImages("Warped", "Pixels", WarpFamily.Similarity, parameters, imageWidth: 16, imageHeight: 16).Fit(data).Transform(data);
        var full = ml.Transforms.WarpImages("Warped", "Pixels", new ImageWarpOptions
        {
            Transformer = { Warp = WarpFamily.Similarity, ImageWidth = 16, ImageHeight = 16 }, Parameters = parameters,
        }).Fit(data).Transform(data);
        var a = simple.GetColumn<float[]>("Warped").ToList();
        var b = full.GetColumn<float[]>("Warped").ToList();
        Assert.HasCount(2, a);
        for (int i = 0; i < a.Count; i++)
            CollectionAssert.AreEqual(b[i], a[i]);
        Assert.IsGreaterThan(0.01, TensorAssert.MaxAbs(PixelData.Read(simple, "Warped", 3, 16, 16) - images), "the warp moved the pixels");
    }

    [TestMethod]
    public void AlignImagesWithoutAReferenceAlignsToTheMean()
    {
        // The simple overload picks the target from the reference path: none = the mean (same rows as Target = Mean).
        var ml = new MLContext(0);
        using var images = Grids.Image(8, 3, 8, 8, ScalarType.Float32, seed: 8);
        var data = PixelData.From(ml, images);
        var simple = ml.Transforms.AlignImages("Aligned", "Pixels", warp: WarpFamily.Translation, imageWidth: 8, imageHeight: 8, epochs: 1).Fit(data).Transform(data);
        var full = ml.Transforms.AlignImages("Aligned", "Pixels", new LearnedAlignmentOptions
        {
            Target = AlignmentTarget.Mean, Transformer = { Warp = WarpFamily.Translation, ImageWidth = 8, ImageHeight = 8 }, Training = { Epochs = 1 },
        }).Fit(data).Transform(data);
        var a = simple.GetColumn<float[]>("Aligned").ToList();
        var b = full.GetColumn<float[]>("Aligned").ToList();
        for (int i = 0; i < a.Count; i++)
            CollectionAssert.AreEqual(b[i], a[i]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AlignImages("Aligned", "Pixels", new LearnedAlignmentOptions { Transformer = { ImageWidth = 8, ImageHeight = 8 } }));
        StringAssert.Contains(e.Message, "ReferenceImagePath");
        StringAssert.Contains(e.Message, "Target = Mean");
    }

    [TestMethod]
    public void ANullCatalogIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentNullException>(() => SpatialTransformCatalog.WarpImages(null!, "W", "P", WarpFamily.Translation, [0f, 0f]));
        Assert.AreEqual("catalog", e.ParamName);
    }
}
