using System.Security.Cryptography;

namespace ChatRoom.Core.Protocol;

/// <summary>
/// A TLS certificate's SHA-256 fingerprint in the one form the server logs and the client compares and
/// remembers: <c>SHA256:</c> and 32 upper-case hexadecimal pairs joined by colons (openssl's form, prefixed).
/// </summary>
public static class Fingerprint
{
    /// <summary>The fingerprint of a certificate given in its DER encoding (<c>X509Certificate2.RawData</c>).</summary>
    public static string Of(ReadOnlySpan<byte> certificate) => FromHex(Convert.ToHexString(SHA256.HashData(certificate)));

    /// <summary>The form above for a digest given as 64 hexadecimal digits (any case, no separators).</summary>
    public static string FromHex(string hex) =>
        "SHA256:" + string.Join(':', hex.ToUpperInvariant().Chunk(2).Select(c => new string(c)));
}
