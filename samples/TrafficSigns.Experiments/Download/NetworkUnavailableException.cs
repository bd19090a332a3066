namespace TrafficSigns.Experiments.Download;

/// <summary>The download server could not be reached at all (no connection, no name resolution, no answer in time).</summary>
internal sealed class NetworkUnavailableException(string message, Exception inner) : IOException(message, inner);
