namespace ScoringService.Model;

/// <summary>The model a request scores with, kept alive until the request disposes the lease (a hot reload does not pull it away).</summary>
public readonly struct ModelLease : IDisposable
{
    internal ModelLease(ServedModel model) => Model = model;

    /// <summary>The model.</summary>
    public ServedModel Model { get; }

    /// <inheritdoc />
    public void Dispose() => Model?.Release();
}
