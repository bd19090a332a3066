using Microsoft.Extensions.Options;

namespace ScoringService.Model;

/// <summary>
/// Hot reload: watches the model file's folder and, once the file has been quiet for a moment after a change (written
/// in place, or replaced by a rename as atomic writers do), asks the <see cref="ModelHolder"/> to load it again.
/// </summary>
public sealed class ModelFileWatcher : BackgroundService
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private readonly ModelHolder _holder;
    private readonly ServiceOptions _options;
    private readonly ILogger<ModelFileWatcher> _logger;
    private readonly SemaphoreSlim _changed = new(0);
    private long _lastChange;

    /// <summary>Creates the watcher.</summary>
    public ModelFileWatcher(ModelHolder holder, IOptions<ServiceOptions> options, ILogger<ModelFileWatcher> logger)
    {
        _holder = holder;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WatchModelFile || _holder.Current is not { } model)
            return;
        string folder = Path.GetDirectoryName(model.Path)!, name = Path.GetFileName(model.Path);
        using var watcher = new FileSystemWatcher(folder)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        void OnChange(string? changedName)
        {
            if (string.Equals(changedName, name, StringComparison.Ordinal))
            {
                Interlocked.Exchange(ref _lastChange, Environment.TickCount64);
                _changed.Release();
            }
        }
        watcher.Changed += (_, e) => OnChange(e.Name);
        watcher.Created += (_, e) => OnChange(e.Name);
        watcher.Renamed += (_, e) => OnChange(e.Name);
        watcher.EnableRaisingEvents = true;
        Log.Watching(_logger, model.Path);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                // Wait until the writer has been quiet for a moment, then load once for all the events seen.
                while (Environment.TickCount64 - Interlocked.Read(ref _lastChange) < Quiet.TotalMilliseconds)
                    await Task.Delay(Quiet, stoppingToken).ConfigureAwait(false);
                while (_changed.CurrentCount > 0)
                    await _changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                if (File.Exists(model.Path))
                    await Task.Run(_holder.Reload, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
