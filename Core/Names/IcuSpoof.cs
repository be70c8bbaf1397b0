using System.Runtime.InteropServices;

namespace ChatRoom.Core.Names;

/// <summary>
/// ICU's spoof checker (UTS #39) and its Unicode properties, bound at run time from the ICU the .NET runtime
/// itself uses on Linux. Why this may live in the pure core: every answer is a deterministic function of the
/// string and of the ICU data in the process, exactly like <see cref="string.Normalize()"/> and
/// <see cref="string.ToLowerInvariant"/>, which call the same library; nothing here reads a clock, a file or
/// the network after the one-time load, and no state changes once configured (ICU documents single-identifier
/// checks and skeletons as safe to call concurrently on one configured checker).
/// </summary>
/// <remarks>
/// The library is found the way the runtime's System.Globalization.Native finds it: the version in
/// <c>CLR_ICU_VERSION_OVERRIDE</c> if set, else the newest <c>libicuuc.so.N</c> that loads; ICU's exported
/// C names carry that version as a suffix (<c>uspoof_open_72</c>). Binding is by
/// <see cref="NativeLibrary"/> and unmanaged function pointers: no reflection, so it survives NativeAOT.
/// When no ICU loads (a container without libicu), <see cref="Instance"/> is None and the callers refuse
/// what they cannot check (see NickProfile).
/// </remarks>
public sealed unsafe class IcuSpoof
{
    private const int U_ZERO_ERROR = 0;
    private const int USPOOF_RESTRICTION_LEVEL = 16;
    private const int USPOOF_INVISIBLE = 32;
    private const int USPOOF_MIXED_NUMBERS = 128;
    private const int USPOOF_HIDDEN_OVERLAY = 256;
    private const int USPOOF_HIGHLY_RESTRICTIVE = 0x30000000;
    private const int UCHAR_DEFAULT_IGNORABLE_CODE_POINT = 5;

    private readonly delegate* unmanaged<nint, ushort*, int, nint, int*, int> _check2;
    private readonly delegate* unmanaged<nint, uint, ushort*, int, ushort*, int, int*, int> _getSkeleton;
    private readonly delegate* unmanaged<int, int, sbyte> _hasBinaryProperty;
    private readonly nint _checker;

    /// <summary>The ICU version, as "72.1".</summary>
    public string IcuVersion { get; }

    /// <summary>The Unicode version of ICU's data, as "15.0".</summary>
    public string UnicodeVersion { get; }

    /// <summary>The checks this checker runs on one identifier (restriction level, invisible marks, mixed digits).</summary>
    public const int Checks = USPOOF_RESTRICTION_LEVEL | USPOOF_INVISIBLE | USPOOF_MIXED_NUMBERS | USPOOF_HIDDEN_OVERLAY;

    private IcuSpoof(nint uc, nint i18n, string suffix)
    {
        T Get<T>(nint lib, string name) where T : unmanaged
        {
            if (!NativeLibrary.TryGetExport(lib, name + suffix, out var p) && !NativeLibrary.TryGetExport(lib, name, out p))
                throw new EntryPointNotFoundException(name + suffix);
            return *(T*)&p;
        }
        var open = Get<nint>(i18n, "uspoof_open");
        var setChecks = Get<nint>(i18n, "uspoof_setChecks");
        var setLevel = Get<nint>(i18n, "uspoof_setRestrictionLevel");
        _check2 = (delegate* unmanaged<nint, ushort*, int, nint, int*, int>)Get<nint>(i18n, "uspoof_check2");
        _getSkeleton = (delegate* unmanaged<nint, uint, ushort*, int, ushort*, int, int*, int>)Get<nint>(i18n, "uspoof_getSkeleton");
        _hasBinaryProperty = (delegate* unmanaged<int, int, sbyte>)Get<nint>(uc, "u_hasBinaryProperty");
        var getVersion = (delegate* unmanaged<byte*, void>)Get<nint>(uc, "u_getVersion");
        var getUnicodeVersion = (delegate* unmanaged<byte*, void>)Get<nint>(uc, "u_getUnicodeVersion");

        var v = stackalloc byte[4];
        getVersion(v);
        IcuVersion = $"{v[0]}.{v[1]}";
        getUnicodeVersion(v);
        UnicodeVersion = $"{v[0]}.{v[1]}";

        var status = U_ZERO_ERROR;
        _checker = ((delegate* unmanaged<int*, nint>)open)(&status);
        if (status > U_ZERO_ERROR || _checker == 0) throw new InvalidOperationException($"uspoof_open failed ({status})");
        ((delegate* unmanaged<nint, int, int*, void>)setChecks)(_checker, Checks, &status);
        ((delegate* unmanaged<nint, int, void>)setLevel)(_checker, USPOOF_HIGHLY_RESTRICTIVE);
        if (status > U_ZERO_ERROR) throw new InvalidOperationException($"uspoof_setChecks failed ({status})");
    }

    /// <summary>The process's ICU spoof checker, or None when no ICU library could be loaded.</summary>
    public static Option<IcuSpoof> Instance => Loaded.Value.Checker;

    /// <summary>Why ICU is missing, when it is (for the one log line the host writes); empty otherwise.</summary>
    public static string LoadProblem => Loaded.Value.Problem;

    private static readonly Lazy<(Option<IcuSpoof> Checker, string Problem)> Loaded = new(Load);

    /// <summary>
    /// The failed checks (a bit set of ICU's USpoofChecks; 0 when the identifier passes), for a string of
    /// at most a few dozen UTF-16 units.
    /// </summary>
    public int Check(ReadOnlySpan<char> id)
    {
        var status = U_ZERO_ERROR;
        int result;
        fixed (char* p = id) result = _check2(_checker, (ushort*)p, id.Length, 0, &status);
        return status > U_ZERO_ERROR ? -1 : result;
    }

    /// <summary>UTS #39's skeleton of <paramref name="id"/>: two strings are confusable when their skeletons are equal.</summary>
    public string Skeleton(ReadOnlySpan<char> id)
    {
        Span<char> buffer = stackalloc char[Math.Min(1024, id.Length * 18 + 16)];
        var status = U_ZERO_ERROR;
        int length;
        fixed (char* p = id)
        fixed (char* d = buffer)
            length = _getSkeleton(_checker, 0, (ushort*)p, id.Length, (ushort*)d, buffer.Length, &status);
        if (status <= U_ZERO_ERROR && length <= buffer.Length) return new string(buffer[..length]);
        // Longer than the guess (U_BUFFER_OVERFLOW_ERROR): ask again with the size ICU reported.
        var big = new char[length];
        status = U_ZERO_ERROR;
        fixed (char* p = id)
        fixed (char* d = big)
            length = _getSkeleton(_checker, 0, (ushort*)p, id.Length, (ushort*)d, big.Length, &status);
        return status > U_ZERO_ERROR ? new string(id) : new string(big, 0, length);
    }

    /// <summary>True for a Default_Ignorable_Code_Point (invisible when not supported: joiners, selectors, Hangul fillers).</summary>
    public bool IsDefaultIgnorable(int codePoint) => _hasBinaryProperty(codePoint, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0;

    private static (Option<IcuSpoof>, string) Load()
    {
        // In invariant globalization mode the runtime does not load ICU and string.Normalize changes nothing, so
        // the folded nicknames themselves are not what the rules assume: then there is no ICU, as for the runtime.
        if ("\uFF21".Normalize(System.Text.NormalizationForm.FormKC) != "A")
            return (None, "the runtime runs without ICU (invariant globalization)");
        try
        {
            foreach (var (uc, i18n, suffix) in Candidates())
            {
                if (!NativeLibrary.TryLoad(uc, out var ucHandle)) continue;
                if (!NativeLibrary.TryLoad(i18n, out var i18nHandle)) continue;
                return (Some(new IcuSpoof(ucHandle, i18nHandle, suffix)), "");
            }
            return (None, "no ICU library (libicuuc/libicui18n) could be loaded");
        }
        catch (Exception e) when (e is EntryPointNotFoundException or InvalidOperationException or DllNotFoundException or BadImageFormatException)
        {
            return (None, $"ICU could not be bound: {e.Message}");
        }
    }

    /// <summary>The library names to try, as the runtime's ICU shim does (newest major version first).</summary>
    private static IEnumerable<(string Uc, string I18n, string Suffix)> Candidates()
    {
        var forced = Environment.GetEnvironmentVariable("CLR_ICU_VERSION_OVERRIDE");
        if (!string.IsNullOrEmpty(forced))
        {
            var major = forced.Split('.')[0];
            yield return ($"libicuuc.so.{forced}", $"libicui18n.so.{forced}", $"_{major}");
            yield return ($"libicuuc.so.{major}", $"libicui18n.so.{major}", $"_{major}");
        }
        if (OperatingSystem.IsWindows())
        {
            yield return ("icu.dll", "icu.dll", "");
            yield break;
        }
        if (OperatingSystem.IsMacOS())
        {
            yield return ("libicucore.dylib", "libicucore.dylib", "");
            yield break;
        }
        for (var major = 99; major >= 50; major--)
            yield return ($"libicuuc.so.{major}", $"libicui18n.so.{major}", $"_{major}");
    }
}
