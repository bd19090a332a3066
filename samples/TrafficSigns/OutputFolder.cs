using System.Globalization;

namespace TrafficSigns;

/// <summary>
/// The <c>--output</c> folder of one run, held for the whole run: a lock file (<see cref="LockFileName"/>, opened with
/// no sharing, deleted when the run ends) makes a second run into the same folder fail at once, naming the folder,
/// instead of both writing and both reporting success. The files the run will write are known up front: those an
/// earlier run left are either refused (train, unless <c>--overwrite</c>) or replaced with a word; every other file in
/// the folder is left alone.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    /// <summary>The lock file's name (hidden; the operating system releases it if the process dies).</summary>
    public const string LockFileName = ".trafficsigns.lock";

    private readonly FileStream lockFile;

    private OutputFolder(string path, FileStream lockFile, IReadOnlyList<string> replaced)
    {
        Path = path;
        this.lockFile = lockFile;
        Replaced = replaced;
    }

    /// <summary>The folder, as a full path.</summary>
    public string Path { get; }

    /// <summary>The files of <see cref="Claim"/>'s list that an earlier run left and this run replaces.</summary>
    public IReadOnlyList<string> Replaced { get; }

    /// <summary>The files of <paramref name="files"/> that <paramref name="folder"/> holds already (nothing is created).</summary>
    public static IReadOnlyList<string> Existing(string folder, IEnumerable<string> files) =>
        files.Where(f => File.Exists(System.IO.Path.Combine(folder, f))).ToList();

    /// <summary>What refusing to replace <paramref name="existing"/> says.</summary>
    public static string RefusalMessage(string folder, IReadOnlyList<string> existing, string command) =>
        $"--output: '{System.IO.Path.GetFullPath(folder)}' already holds {string.Join(", ", existing)} from an earlier run; {command} does not replace them. " +
        "Give another --output, or add --overwrite to replace them (other files in the folder are never touched).";

    /// <summary>
    /// Creates <paramref name="folder"/> if needed and takes its lock; with <paramref name="refuseExisting"/>, refuses
    /// when it holds any of <paramref name="files"/> already.
    /// </summary>
    /// <exception cref="IOException">Another run holds the folder, or (with <paramref name="refuseExisting"/>) it holds an earlier run's files.</exception>
    public static OutputFolder Claim(string folder, IReadOnlyList<string> files, bool refuseExisting, string command)
    {
        var path = System.IO.Path.GetFullPath(folder);
        Directory.CreateDirectory(path);
        var lockPath = System.IO.Path.Combine(path, LockFileName);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new IOException($"--output: '{path}' is in use by another run ({Holder(lockPath)}); two runs cannot write into one folder. " +
                "Wait for that run to finish, or give another --output.");
        }
        try
        {
            using (var writer = new StreamWriter(lockFile, leaveOpen: true))
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{command}, process {Environment.ProcessId}, started {DateTime.Now:yyyy-MM-dd HH:mm:ss}\n"));
            lockFile.Flush();
            // Checked again under the lock: a run that finished between the options check and now has left its files.
            var existing = Existing(path, files);
            if (existing.Count > 0 && refuseExisting)
                throw new IOException(RefusalMessage(path, existing, command));
            return new OutputFolder(path, lockFile, existing);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>"train, process 1234, started …" from the lock file, where the system lets another process read it.</summary>
    private static string Holder(string lockPath)
    {
        try
        {
            using var stream = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadLine() is { Length: > 0 } line ? line : "its lock file " + lockPath;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "its lock file " + lockPath;
        }
    }

    /// <summary>Releases the folder (the lock file is deleted).</summary>
    public void Dispose() => lockFile.Dispose();
}
