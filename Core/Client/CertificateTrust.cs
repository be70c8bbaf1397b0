namespace ChatRoom.Core.Client;

/// <summary>What the client makes of the certificate a TLS server presented.</summary>
public abstract record TrustVerdict
{
    private TrustVerdict() { }

    /// <summary>Go on: the certificate is trusted, for the reason given (shown with --trace).</summary>
    public sealed record Trusted(string How) : TrustVerdict;

    /// <summary>Stop before anything is sent: the certificate is not the one expected.</summary>
    public sealed record Refused(string Why) : TrustVerdict;

    /// <summary>Never seen before and nothing vouches for it: ask the person, or refuse in a script.</summary>
    public sealed record Unknown(string Fingerprint) : TrustVerdict;
}

/// <summary>
/// The client's trust rules for a TLS server's certificate, as a pure function. In order: a fingerprint given
/// with <c>--fingerprint</c> must match (and then nothing else matters); a certificate that the system's trust
/// store accepts for the host name is trusted; one remembered in the known-hosts file for this server must be the
/// same (trust on first use, as SSH does); anything else is unknown.
/// </summary>
public static class CertificateTrust
{
    /// <summary>Decides; <paramref name="presented"/> and the others are fingerprints in <see cref="Normalize"/>'s form.</summary>
    public static TrustVerdict Decide(string endpoint, string presented, bool systemTrusted, Option<string> pinned,
        Option<string> remembered, string knownHostsFile) =>
        pinned.Match(
            pin => pin == presented
                ? new TrustVerdict.Trusted("its fingerprint is the one given with --fingerprint")
                : new TrustVerdict.Refused($"the server's certificate is not the one given with --fingerprint: expected {pin}, got {presented}"),
            () => systemTrusted
                ? new TrustVerdict.Trusted("the system's trust store vouches for it")
                : remembered.Match<TrustVerdict>(
                    known => known == presented
                        ? new TrustVerdict.Trusted($"it is the certificate remembered in {knownHostsFile}")
                        : new TrustVerdict.Refused(
                            $"the server's certificate has changed since you trusted it (it was {known}, it is now {presented}). " +
                            $"Someone may be in the middle; if the change is expected, remove the line for {endpoint} from {knownHostsFile}"),
                    () => new TrustVerdict.Unknown(presented)));

    /// <summary>
    /// A fingerprint in one form, <c>SHA256:AB:CD:...</c> (64 hex digits, upper case, in pairs), from what a person
    /// pastes: with or without the <c>SHA256:</c> prefix (any case) and the colons, as openssl or the server's log shows it.
    /// None when it is not a SHA-256 fingerprint.
    /// </summary>
    public static Option<string> Normalize(string text)
    {
        var t = text.Trim();
        foreach (var prefix in (string[])["SHA256:", "sha256 Fingerprint=", "SHA256 Fingerprint="])
            if (t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                t = t[prefix.Length..];
                break;
            }
        var hex = t.Replace(":", "", StringComparison.Ordinal);
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit)) return None;
        return Core.Protocol.Fingerprint.FromHex(hex);
    }
}
