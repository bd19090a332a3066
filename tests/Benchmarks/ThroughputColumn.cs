using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Benchmarks;

/// <summary>
/// "Images/s": a fixed number of images per benchmark invocation divided by the mean time of one invocation. The
/// count is computed in the host process (BenchmarkDotNet runs the benchmarks in a child process), so it must not
/// depend on anything done in a <c>GlobalSetup</c>.
/// </summary>
public sealed class ThroughputColumn(Func<long> imagesPerInvocation) : IColumn
{
    private readonly Lazy<long> _images = new(imagesPerInvocation);

    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "Images/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"Images per second: {_images.Value} images per invocation / Mean";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null || statistics.Mean <= 0) return "NA";
        return (_images.Value / (statistics.Mean * 1e-9)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
