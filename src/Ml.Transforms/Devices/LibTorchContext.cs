using System.Runtime.InteropServices;

namespace Ml.Transforms.Devices;

/// <summary>
/// libtorch's process-wide oneDNN switch, <c>at::globalContext().setUserEnabledMkldnn(bool)</c> (what PyTorch's
/// <c>torch.backends.mkldnn.enabled</c> sets). TorchSharp 0.107 does not expose it, so it is called through the C++
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
        // Make sure TorchSharp has loaded libtorch (and so libtorch_cpu) into the process.
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        string[] names = OperatingSystem.IsWindows() ? ["torch_cpu.dll", "torch_cpu"]
            : OperatingSystem.IsMacOS() ? ["libtorch_cpu.dylib", "libtorch_cpu"]
            : ["libtorch_cpu.so", "libtorch_cpu"];
        var (context, set, get) = OperatingSystem.IsWindows()
            ? ("?globalContext@at@@YAAEAVContext@1@XZ", "?setUserEnabledMkldnn@Context@at@@QEAAX_N@Z", "?userEnabledMkldnn@Context@at@@QEBA_NXZ")
            : ("_ZN2at13globalContextEv", "_ZN2at7Context20setUserEnabledMkldnnEb", "_ZNK2at7Context17userEnabledMkldnnEv");
        foreach (var name in names)
        {
            if (!NativeLibrary.TryLoad(name, typeof(LibTorchContext).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var library)
                && !NativeLibrary.TryLoad(name, out library))
                continue;
            if (NativeLibrary.TryGetExport(library, context, out var c) && NativeLibrary.TryGetExport(library, set, out var s)
                && NativeLibrary.TryGetExport(library, get, out var g))
                return new Functions(c, s, g);
        }
        return null;
    }
}
