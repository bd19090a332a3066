using System.Text.Json.Serialization;

namespace ScoringService.Http;

/// <summary>A class label and its probability.</summary>
public sealed record LabelProbability(string Label, float Probability);

/// <summary>What the service decoded.</summary>
/// <param name="Format">png, jpeg, bmp, gif or webp.</param>
/// <param name="Width">Width of the upload in pixels (the network sees it resized to its input size).</param>
/// <param name="Height">Height of the upload in pixels.</param>
public sealed record ImageSummary(string Format, int Width, int Height);

/// <summary>The final warp the spatial transformer applied, or why the model cannot say.</summary>
/// <param name="Available">False when the model was saved without a warp column.</param>
/// <param name="Family">The warp family (e.g. Homography: 8 parameters).</param>
/// <param name="Parameters">The parameters, in the library's order for the family.</param>
/// <param name="Reason">Why there are none.</param>
public sealed record WarpParameters(bool Available, string? Family, float[]? Parameters, string? Reason);

/// <summary>What the classifier saw after the spatial transformer, as PNG, or why the model cannot show it.</summary>
/// <param name="Available">False when the model was saved without a rectified column.</param>
/// <param name="Width">Width in pixels (the input size divided by the downsampling).</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="PngBase64">The PNG file, base64 (present when asked for with ?rectified=true).</param>
/// <param name="Reason">Why there is none.</param>
public sealed record RectifiedView(bool Available, int? Width, int? Height, string? PngBase64, string? Reason);

/// <summary>The prediction for one image.</summary>
/// <param name="Index">Position in the batch (batch responses only).</param>
/// <param name="FileName">The uploaded file's name (batch responses only).</param>
/// <param name="Label">The predicted class label.</param>
/// <param name="Probability">Its softmax probability.</param>
/// <param name="Top">The five most probable labels (fewer when the model has fewer classes), most probable first.</param>
/// <param name="Warp">The warp parameters.</param>
/// <param name="Rectified">What the classifier saw (only when asked for with ?rectified=true).</param>
/// <param name="Image">What was decoded.</param>
/// <param name="DecodeMs">Milliseconds spent decoding the upload (single-image responses).</param>
/// <param name="ScoringMs">Milliseconds from handing the image to the model to its result, waiting for a free scorer included (single-image responses).</param>
public sealed record Prediction(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FileName,
    string Label, float Probability, IReadOnlyList<LabelProbability> Top, WarpParameters Warp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RectifiedView? Rectified,
    ImageSummary Image,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DecodeMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ScoringMs);

/// <summary>The predictions for a batch, in the order of the uploaded files.</summary>
/// <param name="Count">Images scored.</param>
/// <param name="DecodeMs">Milliseconds spent decoding all of them.</param>
/// <param name="ScoringMs">Milliseconds from handing them to the model to the last result.</param>
/// <param name="Results">One prediction per image, in order.</param>
public sealed record BatchPrediction(int Count, double DecodeMs, double ScoringMs, IReadOnlyList<Prediction> Results);
