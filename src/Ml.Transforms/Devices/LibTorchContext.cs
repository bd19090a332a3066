using System.Runtime.InteropServices;

namespace Ml.Transforms.Devices;

/// <summary>
/// libtorch's process-wide oneDNN switch, <c>at::globalContext().setUserEnabledMkldnn(bool)</c> (what PyTorch's
/// <c>torch.backends.mkldnn.enabled</c> sets), and its NNPACK switch and probe (<c>setUserEnabledNNPACK</c>,
/// <c>at::native::_nnpack_available</c>). TorchSharp 0.107 exposes none of them, so they are called through the C++
/// symbols libtorch_cpu exports (Itanium names on Linux and macOS, MSVC names on Windows).
/// </summary>
internal static unsafe class LibTorchContext
{
    private static readonly Lazy<Functions?> functions = new(Load);

    /// <summary>The switch can be reached in this process (the symbols were found).</summary>
    public static bool CanSwitchOneDnn => functions.Value is not null;

    /// <summary>Whether libtorch may use oneDNN now.</summary>
    public static bool OneDnnEnabled
    {
        get
        {
            var f = functions.Value ?? throw Unavailable();
            return f.Get(f.GlobalContext()) != 0;
        }
        set
        {
            var f = functions.Value ?? throw Unavailable();
            f.Set(f.GlobalContext(), value ? (byte)1 : (byte)0);
        }
    }

    /// <summary>
    /// On a CPU NNPACK cannot run on, turns NNPACK off for the process and returns true; libtorch then stops trying it
    /// before convolutions (each try printed "Could not initialize NNPACK! Reason: Unsupported hardware.", dozens of
    /// times a run). The probe itself prints that line once. False when NNPACK works here or the symbols are missing.
    /// </summary>
    public static bool DisableNnpackWhereUnsupported()
    {
        var n = nnpack.Value;
        if (n is null || n.Available() != 0)
            return false;
        n.Set(functions.Value?.GlobalContext() ?? IntPtr.Zero, 0);
        return true;
    }

    private static readonly Lazy<Nnpack?> nnpack = new(LoadNnpack);

    private sealed class Nnpack(IntPtr available, IntPtr set)
    {
        public byte Available() => ((delegate* unmanaged<byte>)available)();

        public void Set(IntPtr context, byte enabled) => ((delegate* unmanaged<IntPtr, byte, void>)set)(context, enabled);
    }

    private static Nnpack? LoadNnpack()
    {
        if (functions.Value is null || Library() is not { } library)
            return null;
        var (available, set) = OperatingSystem.IsWindows()
            ? ("?_nnpack_available@native@at@@YA_NXZ", "?setUserEnabledNNPACK@Context@at@@QEAAX_N@Z")
            : ("_ZN2at6native17_nnpack_availableEv", "_ZN2at7Context20setUserEnabledNNPACKEb");
        return NativeLibrary.TryGetExport(library, available, out var a) && NativeLibrary.TryGetExport(library, set, out var s) ? new Nnpack(a, s) : null;
    }

    private static InvalidOperationException Unavailable() => new(
        "libtorch's oneDNN switch (at::Context::setUserEnabledMkldnn) was not found in libtorch_cpu. " +
        "Set the environment variable DNNL_MAX_CPU_ISA=SSE41 before the process starts instead.");

    private sealed class Functions(IntPtr globalContext, IntPtr set, IntPtr get)
    {
        public IntPtr GlobalContext() => ((delegate* unmanaged<IntPtr>)globalContext)();

        public void Set(IntPtr context, byte enabled) => ((delegate* unmanaged<IntPtr, byte, void>)set)(context, enabled);

        public byte Get(IntPtr context) => ((delegate* unmanaged<IntPtr, byte>)get)(context);
    }

    private static Functions? Load()
    {
        if (Library() is not { } library)
            return null;
        var (context, set, get) = OperatingSystem.IsWindows()
            ? ("?globalContext@at@@YAAEAVContext@1@XZ", "?setUserEnabledMkldnn@Context@at@@QEAAX_N@Z", "?userEnabledMkldnn@Context@at@@QEBA_NXZ")
            : ("_ZN2at13globalContextEv", "_ZN2at7Context20setUserEnabledMkldnnEb", "_ZNK2at7Context17userEnabledMkldnnEv");
        return NativeLibrary.TryGetExport(library, context, out var c) && NativeLibrary.TryGetExport(library, set, out var s)
            && NativeLibrary.TryGetExport(library, get, out var g) ? new Functions(c, s, g) : null;
    }

    /// <summary>libtorch_cpu, loaded by TorchSharp; null when it cannot be found.</summary>
    private static IntPtr? Library()
    {
        // Make sure TorchSharp has loaded libtorch (and so libtorch_cpu) into the process.
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        string[] names = OperatingSystem.IsWindows() ? ["torch_cpu.dll", "torch_cpu"]
            : OperatingSystem.IsMacOS() ? ["libtorch_cpu.dylib", "libtorch_cpu"]
            : ["libtorch_cpu.so", "libtorch_cpu"];
        foreach (var name in names)
            if (NativeLibrary.TryLoad(name, typeof(LibTorchContext).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var library)
                || NativeLibrary.TryLoad(name, out library))
                return library;
        return null;
    }
}
