using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LanguageExt.Common;

namespace ChatRoom.Core.Auth;

/// <summary>
/// A salted, deliberately slow password hash: PBKDF2-HMAC-SHA256. Its text form describes itself,
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>, so the iteration count can be raised later
/// without breaking stored hashes. The salt is an input: the core never draws random numbers.
/// </summary>
public sealed record PasswordHash(int Iterations, Arr<byte> Salt, Arr<byte> Hash)
{
    /// <summary>The algorithm tag at the start of the text form.</summary>
    public const string Algorithm = "pbkdf2-sha256";

    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256 (about 0.1 s per hash on the project's machines).</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The smallest count accepted (load tests may lower the cost, never below this).</summary>
    public const int MinIterations = 1_000;

    /// <summary>The recommended salt size in bytes.</summary>
    public const int SaltBytes = 16;

    private const int HashBytes = 32;

    /// <summary>Hashes <paramref name="password"/> with <paramref name="salt"/> (at least 8 bytes).</summary>
    public static Fin<PasswordHash> Create(string password, ReadOnlySpan<byte> salt, int iterations = DefaultIterations)
    {
        if (salt.Length < 8) return Error.New("salt must be at least 8 bytes");
        if (iterations < MinIterations) return Error.New($"iterations must be at least {MinIterations}");
        var hash = Derive(password, salt, iterations);
        return new PasswordHash(iterations, toArray(salt.ToArray()), toArray(hash));
    }

    /// <summary>True when <paramref name="password"/> hashes to this hash. Compares in constant time.</summary>
    public bool Verify(string password)
    {
        var candidate = Derive(password, Salt.ToArray(), Iterations);
        return CryptographicOperations.FixedTimeEquals(candidate, Hash.ToArray());
    }

    /// <summary>The self-describing text form, as stored in the users file.</summary>
    public string Format() =>
        string.Join('$', Algorithm, Iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(Salt.ToArray()), Convert.ToBase64String(Hash.ToArray()));

    /// <summary>
    /// A short digest of this hash (the first 16 bytes of the SHA-256 of <see cref="Format"/>, in base64): what a
    /// resume token is bound to, so that a token is good only while the password it descends from is the account's.
    /// A new password (a new salt and hash), or a new account under the same nickname, has another stamp. It says
    /// nothing about the password that the hash itself does not.
    /// </summary>
    public string Stamp()
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Format()), digest);
        return Convert.ToBase64String(digest[..16]);
    }

    /// <summary>Never shows the hash itself.</summary>
    public override string ToString() => $"{Algorithm}${Iterations}$***";

    /// <summary>Reads the text form. Errors name what is wrong; never throws.</summary>
    public static Fin<PasswordHash> Parse(string text)
    {
        var parts = text.Split('$');
        if (parts.Length != 4) return Error.New("expected pbkdf2-sha256$<iterations>$<salt>$<hash>");
        if (parts[0] != Algorithm) return Error.New($"unknown algorithm '{parts[0]}'");
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < MinIterations)
            return Error.New($"invalid iteration count '{parts[1]}'");
        var salt = FromBase64(parts[2]);
        var hash = FromBase64(parts[3]);
        if (salt is null || salt.Length < 8) return Error.New("invalid salt");
        if (hash is null || hash.Length != HashBytes) return Error.New("invalid hash");
        return new PasswordHash(iterations, toArray(salt), toArray(hash));
    }

    private static byte[] Derive(string password, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    private static byte[]? FromBase64(string s)
    {
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out var written) ? buffer[..written] : null;
    }
}
