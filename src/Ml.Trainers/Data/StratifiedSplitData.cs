using Microsoft.ML;

namespace Ml.Trainers.Data;

/// <summary>
/// The three parts of <c>mlContext.Data.StratifiedSplit</c>: every label is in every part (that has a non-zero
/// fraction) in about the same proportion — with a group column, as far as the label's groups allow, and no group in two
/// parts. Each part keeps the source's columns and row order.
/// </summary>
/// <param name="Train">The rest: for training.</param>
/// <param name="Validation">For validation (keep-best, early stopping); no rows when the validation fraction is 0.</param>
/// <param name="Test">For the final evaluation; no rows when the test fraction is 0.</param>
public sealed record StratifiedSplitData(IDataView Train, IDataView Validation, IDataView Test);
