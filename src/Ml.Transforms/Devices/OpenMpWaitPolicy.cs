using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ml.Transforms.Devices;

/// <summary>
/// libtorch's CPU thread pool is OpenMP (GNU libgomp on Linux), whose idle threads spin for a while after every parallel
/// region before they sleep. The library's fused sampler kernels run on the .NET thread pool right after libtorch's
/// ops, so on a machine with few cores the spinning threads take the cores those kernels need (and the cores of any
/// other process). The library therefore asks OpenMP to sleep at once — <c>OMP_WAIT_POLICY=PASSIVE</c> — when this
/// assembly loads, unless the environment already sets <c>OMP_WAIT_POLICY</c> or <c>GOMP_SPINCOUNT</c> (set either to
/// keep OpenMP's own behaviour). OpenMP reads the variable once, when libtorch loads, so this works when the
/// process's first TorchSharp call goes through the library (an ML.NET pipeline always does); code that calls
/// TorchSharp first sets the variable itself. Measured: docs/performance.md, "libtorch's threads and the fused kernels".
/// </summary>
internal static unsafe class OpenMpWaitPolicy
{
    /// <summary>The value the library set, or null when it left the environment alone.</summary>
    public static string? Applied { get; private set; }

    // CA2255 warns that libraries rarely need a module initializer; this one must run before libtorch loads, and the
    // library's first type touched is the earliest point a library has.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null)
            return;
        try
        {
            if (OperatingSystem.IsWindows())
                Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
            else if (!SetNative("OMP_WAIT_POLICY", "PASSIVE"))
                return;
            Applied = "PASSIVE";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            // No C library to set it through: OpenMP keeps its default, which is only slower.
        }
    }

    /// <summary>
    /// Sets a variable in the C library's environment, which native code reads (.NET's own environment block on Unix
    /// is a copy that native code never sees).
    /// </summary>
    private static bool SetNative(string name, string value)
    {
        string library = OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.dylib" : "libc.so.6";
        if (!NativeLibrary.TryLoad(library, out var handle) || !NativeLibrary.TryGetExport(handle, "setenv", out var setenv))
            return false;
        Environment.SetEnvironmentVariable(name, value);
        IntPtr n = Marshal.StringToHGlobalAnsi(name), v = Marshal.StringToHGlobalAnsi(value);
        try
        {
            return ((delegate* unmanaged<IntPtr, IntPtr, int, int>)setenv)(n, v, 0) == 0;
        }
        finally
        {
            Marshal.FreeHGlobal(n);
            Marshal.FreeHGlobal(v);
        }
    }
}
