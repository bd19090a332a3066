namespace ScoringService.Model;

/// <summary>The service's log messages (source-generated, no formatting cost when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Path} (graph SHA-256 {Sha256}): {Classes} classes, {Width}x{Height} input, {Mode} with {Concurrency} concurrent scorers.")]
    public static partial void Serving(ILogger logger, string path, string sha256, int classes, int width, int height, ScoringMode mode, int concurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded {Path}: now serving graph SHA-256 {Sha256} ({Classes} classes).")]
    public static partial void Reloaded(ILogger logger, string path, string sha256, int classes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model file changed but cannot be served; still serving the previous model. {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Path}: replacing the file reloads the model.")]
    public static partial void Watching(ILogger logger, string path);
}
