using Microsoft.Extensions.Options;

namespace ScoringService.Model;

/// <summary>
/// The model being served. Requests take a <see cref="ModelLease"/>; <see cref="Reload"/> loads the file again into a
/// new model (engines created and warmed up) BEFORE swapping it in, so requests are never dropped or slowed by a
/// reload, and the old model is disposed once its last request has finished. A reload that fails keeps the old model.
/// </summary>
public sealed class ModelHolder : IDisposable
{
    private readonly ServiceOptions _options;
    private readonly ILogger<ModelHolder> _logger;
    private readonly Lock _reloading = new();
    private ServedModel? _current;

    /// <summary>Creates the holder; nothing is loaded until <see cref="LoadAtStart"/>.</summary>
    public ModelHolder(IOptions<ServiceOptions> options, ILogger<ModelHolder> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The model being served, or null before it is loaded.</summary>
    public ServedModel? Current => Volatile.Read(ref _current);

    /// <summary>Why the last reload failed (null when it worked or none was tried).</summary>
    public string? LastReloadError { get; private set; }

    /// <summary>When the last reload was tried.</summary>
    public DateTimeOffset? LastReloadAttempt { get; private set; }

    /// <summary>Loads the configured model; returns null, or what is wrong (one line) when it cannot be served.</summary>
    public string? LoadAtStart()
    {
        if (_options.Validate() is { } invalid)
            return invalid;
        try
        {
            var model = ModelLoader.Load(_options.ModelPath, _options);
            Swap(model);
            Log.Serving(_logger, model.Path, model.Graph.Sha256, model.Columns.ClassLabels.Count, model.Graph.Width, model.Graph.Height, model.Mode, model.Concurrency);
            return null;
        }
        catch (ModelLoadException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Loads the model file again and serves it from now on; when the file's bytes have not changed nothing is done.
    /// Returns true when a new model is served.
    /// </summary>
    public bool Reload()
    {
        lock (_reloading)
        {
            LastReloadAttempt = DateTimeOffset.UtcNow;
            try
            {
                var current = Current;
                var model = ModelLoader.Load(current?.Path ?? _options.ModelPath, _options);
                if (current is not null && model.FileSha256 == current.FileSha256)
                {
                    model.Release();
                    LastReloadError = null;
                    return false;
                }
                Swap(model);
                LastReloadError = null;
                Log.Reloaded(_logger, model.Path, model.Graph.Sha256, model.Columns.ClassLabels.Count);
                return true;
            }
            catch (ModelLoadException e)
            {
                LastReloadError = e.Message;
                Log.ReloadFailed(_logger, e.Message);
                return false;
            }
        }
    }

    /// <summary>A lease on the current model.</summary>
    /// <exception cref="InvalidOperationException">No model is loaded.</exception>
    public ModelLease Acquire()
    {
        while (true)
        {
            var model = Current ?? throw new InvalidOperationException("No model is loaded.");
            if (model.TryAddReference())
                return new ModelLease(model);
            // Released by a reload between the read and the reference: the next read sees the new model.
        }
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Release();

    private void Swap(ServedModel model) => Interlocked.Exchange(ref _current, model)?.Release();
}
