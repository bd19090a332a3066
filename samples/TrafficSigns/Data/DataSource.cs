namespace TrafficSigns.Data;

/// <summary>Where the sample's GTSRB came from, in the order <see cref="DataSourceResolver"/> tries them.</summary>
internal enum DataSourceKind
{
    /// <summary>The folder given with --data.</summary>
    DataOption,

    /// <summary><c>../shared/data/gtsrb</c>, when present.</summary>
    SharedFolder,

    /// <summary>The official archives, downloaded and unpacked by an earlier run.</summary>
    Cache,

    /// <summary>The official archives, downloaded and unpacked by this run.</summary>
    Download,

    /// <summary>The sample's built-in subset (offline, or the download failed).</summary>
    BuiltIn,
}

/// <summary>The data the sample uses.</summary>
/// <param name="Kind">Where it came from.</param>
/// <param name="TrainingRoot">A root <c>GtsrbReader.ReadTraining</c> accepts.</param>
/// <param name="OfficialTestRoot">A root <c>GtsrbTestReader.Read</c> accepts, when the source has the official test set; else null.</param>
/// <param name="Message">One plain sentence or two for the console: what is used, and why when it is the fallback.</param>
internal sealed record DataSource(DataSourceKind Kind, string TrainingRoot, string? OfficialTestRoot, string Message);
