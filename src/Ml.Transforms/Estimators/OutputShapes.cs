using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Transforms.Estimators;

/// <summary>
/// Schema-shape columns for the output schemas of <see cref="ImageWarpEstimator"/> and <see cref="LearnedAlignmentEstimator"/>. ML.NET has no public constructor for
/// them, so they come from the output shapes of ML.NET's own (never fitted) estimators.
/// </summary>
internal static class OutputShapes
{
    /// <summary>A float-vector column named <paramref name="name"/>.</summary>
    public static SchemaShape.Column FloatVector(MLContext mlContext, string name)
    {
        var definition = SchemaDefinition.Create(typeof(Vector));
        definition[nameof(Vector.Values)].ColumnName = name;
        var estimator = mlContext.Transforms.CustomMapping<Empty, Vector>((_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        return estimator.GetOutputSchema(new SchemaShape([])).First(c => c.Name == name);
    }

    private sealed class Empty
    {
    }

    private sealed class Vector
    {
        [VectorType] public float[] Values { get; set; } = [];
    }
}
