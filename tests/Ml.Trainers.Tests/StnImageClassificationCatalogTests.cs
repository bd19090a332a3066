using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Tests;

/// <summary>The trainer's two catalog overloads: the simple one is the options one with the options' defaults.</summary>
[TestClass]
public sealed class StnImageClassificationCatalogTests
{
    private sealed class PixelRow
    {
        [VectorType(3 * 32 * 32)] public float[] Image { get; set; } = new float[3 * 32 * 32];
        public string Label { get; set; } = "";
    }

    [TestMethod]
    public void TheSimpleOverloadsDefaultsAreTheOptionsDefaults()
    {
        var simple = typeof(StnImageClassificationCatalog).GetMethods()
            .Single(m => m.Name == nameof(StnImageClassificationCatalog.StnImageClassification) && m.GetParameters().All(p => p.ParameterType != typeof(StnImageClassificationOptions)));
        var defaults = new StnImageClassificationOptions();
        int compared = 0;
        // Each parameter is an option of the trainer's options, of its Transformer or of its Training part.
        object?[] owners = [defaults, defaults.Transformer, defaults.Training];
        foreach (var parameter in simple.GetParameters().Where(p => p.HasDefaultValue))
        {
            var (owner, property) = owners
                .Select(o => (Owner: o, Property: o!.GetType().GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)))
                .FirstOrDefault(x => x.Property is not null);
            if (property is null)
                throw new AssertFailedException($"parameter {parameter.Name} has no option of that name");
            Assert.AreEqual(property.GetValue(owner), parameter.DefaultValue, $"{parameter.Name} vs {owner!.GetType().Name}.{property.Name}");
            compared++;
        }
        Assert.AreEqual(10, compared);
    }

    [TestMethod]
    public void TheSimpleOverloadNamesTheOutputColumnsAndTakesAValidationSet()
    {
        var ml = new MLContext(0);
        var random = new Random(0);
        var rows = Enumerable.Range(0, 30).Select(i => new PixelRow
        {
            Image = Enumerable.Range(0, 3 * 32 * 32).Select(_ => (float)random.NextDouble()).ToArray(),
            Label = (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();
        var keys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows));
        var train = keys.Transform(ml.Data.LoadFromEnumerable(rows.Take(20)));
        var validation = keys.Transform(ml.Data.LoadFromEnumerable(rows.Skip(20)));
        var trainer = ml.MulticlassClassification.Trainers.StnImageClassification(scoreColumnName: "Probabilities",
            predictedLabelColumnName: "Guess", batchSize: 10, epochs: 1, validationSet: validation, downsampling: 4);
        var scored = trainer.Fit(train).Transform(validation);
        Assert.AreEqual(3, ((VectorDataViewType)scored.Schema["Probabilities"].Type).Size);
        Assert.IsInstanceOfType<KeyDataViewType>(scored.Schema["Guess"].Type);
        Assert.IsNull(scored.Schema.GetColumnOrNull("Score"));
        Assert.IsNotNull(trainer.TrainingResult!.Value.History[0].ValidationAccuracy, "the validation set was used");
        Assert.HasCount(1, trainer.TrainingResult.Value.History, "one epoch");
    }
}
