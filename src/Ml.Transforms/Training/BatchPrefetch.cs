using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Ml.Transforms.Training;

/// <summary>
/// Runs a producer of items (decoded batches) on a background thread, at most <c>capacity</c> items ahead of the consumer
/// (the training step), so that reading overlaps training and memory stays bounded. An exception of the producer is
/// thrown by the <see cref="Take"/> that would have returned the item it failed on; disposing stops the producer (at its
/// next item or cancellation check) and waits for it.
/// </summary>
/// <typeparam name="T">An item; items produced but never taken are given to the <c>discard</c> action (e.g. to return pooled buffers).</typeparam>
internal sealed class BatchPrefetch<T> : IDisposable
{
    private readonly BlockingCollection<T> queue;
    private readonly CancellationTokenSource stop;
    private readonly Task producer;
    private readonly Action<T>? discard;
    private ExceptionDispatchInfo? failure;

    /// <param name="produce">Called once, on the background thread, with a token that is cancelled when the consumer stops; it enumerates the items in order.</param>
    /// <param name="capacity">Items ready ahead of the consumer, at most (≥ 1).</param>
    /// <param name="discard">Given each item the consumer never took; null = nothing to do.</param>
    /// <param name="cancellationToken">The caller's token: cancels the producer too.</param>
    public BatchPrefetch(Func<CancellationToken, IEnumerable<T>> produce, int capacity, Action<T>? discard, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        queue = new BlockingCollection<T>(capacity);
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        this.discard = discard;
        var token = stop.Token;
        producer = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var item in produce(token))
                {
                    try
                    {
                        queue.Add(item, token);
                    }
                    catch (OperationCanceledException)
                    {
                        discard?.Invoke(item);
                        throw;
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The consumer stopped (or the caller cancelled): Take reports the caller's cancellation.
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The next item, waiting for the producer if it has none ready.</summary>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The producer ended before giving the item.</exception>
    public T Take()
    {
        try
        {
            if (queue.TryTake(out var item, Timeout.Infinite, stop.Token))
                return item;
        }
        catch (OperationCanceledException)
        {
            stop.Token.ThrowIfCancellationRequested();
            throw;
        }
        failure?.Throw();
        stop.Token.ThrowIfCancellationRequested();
        throw new InvalidOperationException("The batch reader ended before the pass did.");
    }

    /// <summary>Stops the producer, waits for it, and discards what it made that was not taken.</summary>
    public void Dispose()
    {
        stop.Cancel();
        try
        {
            producer.Wait();
        }
        catch (AggregateException)
        {
            // Recorded in failure; nothing more to report once the consumer is done.
        }
        while (queue.TryTake(out var item))
            discard?.Invoke(item);
        queue.Dispose();
        stop.Dispose();
    }
}
