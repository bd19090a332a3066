namespace TrafficSigns.Experiments.Download;

/// <summary>Where the experiments' GTSRB came from, in the order <see cref="DataSourceResolver"/> tries them.</summary>
internal enum DataSourceKind
{
    /// <summary>The folder given with --data.</summary>
    DataOption,

    /// <summary><c>../shared/data/gtsrb</c>, when present.</summary>
    SharedFolder,

    /// <summary>The official archives, downloaded and unpacked by the download command.</summary>
    Cache,

    /// <summary>The repository's built-in subset (nothing else was found).</summary>
    BuiltIn,
}

/// <summary>The data the experiments use.</summary>
/// <param name="Kind">Where it came from.</param>
/// <param name="Root">A root <c>GtsrbReader.ReadTraining</c> accepts.</param>
/// <param name="HasOfficialTestSet">Whether the root also holds the labelled official test set (<c>GtsrbTestReader.Exists</c>).</param>
/// <param name="Message">One plain sentence or two for the console: what is used, and why when it is the fallback.</param>
internal sealed record DataSource(DataSourceKind Kind, string Root, bool HasOfficialTestSet, string Message);
