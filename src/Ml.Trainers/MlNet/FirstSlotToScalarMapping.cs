using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Ml.Trainers.MlNet;

/// <summary>Input of <see cref="FirstSlotToScalarMapping"/>: the ONNX model's label-text output, a 1-slot vector per row.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // public only because ML.NET creates it by reflection
public sealed class PredictedLabelTextVector
{
    /// <summary>The ONNX output column (its batch dimension became a 1-slot vector).</summary>
    [VectorType(1)]
    [ColumnName(StnColumnNames.PredictedLabelTextVector)]
    public string[] Values { get; set; } = [];
}

/// <summary>Output of <see cref="FirstSlotToScalarMapping"/>: the label text as a scalar.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // public only because ML.NET creates it by reflection
public sealed class PredictedLabelText
{
    /// <summary>The predicted label's text.</summary>
    [ColumnName(StnColumnNames.PredictedLabelText)]
    public string Value { get; set; } = "";
}

/// <summary>
/// Stateless <c>CustomMapping</c> that turns the ONNX model's 1-slot label-text vector into a scalar, so the predicted
/// label can become a SCALAR key (<c>uint PredictedLabel</c> binds). Registered by contract name, so a saved model loads
/// it by name: call <see cref="Microsoft.ML.StnImageClassificationCatalog.RegisterStnComponents"/> (or
/// <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(FirstSlotToScalarMapping).Assembly)</c>) before <c>Model.Load</c>.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // public only because ML.NET creates it by reflection
[CustomMappingFactoryAttribute(ContractName)]
public sealed class FirstSlotToScalarMapping : CustomMappingFactory<PredictedLabelTextVector, PredictedLabelText>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "MlLinearized.StnFirstSlotToScalar";

    /// <summary>The mapping: the first (only) slot.</summary>
    public static void Map(PredictedLabelTextVector input, PredictedLabelText output) =>
        output.Value = input.Values is { Length: > 0 } values ? values[0] : "";

    /// <inheritdoc />
    public override Action<PredictedLabelTextVector, PredictedLabelText> GetMapping() => Map;
}
