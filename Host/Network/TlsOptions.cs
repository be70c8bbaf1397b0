namespace ChatRoom.Host;

/// <summary>
/// The <c>Tls</c> section of the configuration: the TLS port and its certificate. Plain setters for the binder's
/// source generator, as in <see cref="ServerOptions"/>.
/// </summary>
public sealed record TlsOptions
{
    /// <summary>
    /// Whether the TLS port is served. Unset means: served when <see cref="ServerOptions.Bind"/> is not a loopback
    /// address (a server on the network speaks TLS unless told not to), not served on loopback.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The TLS port (0 picks a free one, as for the plaintext port).</summary>
    public int Port { get; set; } = 7778;

    /// <summary>
    /// A PEM certificate file (the leaf first, then any intermediates, as ACME clients write fullchain.pem).
    /// Empty: the server makes a self-signed certificate in the data folder on first start and reuses it.
    /// </summary>
    public string Certificate { get; set; } = "";

    /// <summary>The PEM private key of <see cref="Certificate"/> (PKCS#8, or the EC/RSA forms openssl writes).</summary>
    public string Key { get; set; } = "";

    /// <summary>
    /// Further names for the self-signed certificate, comma-separated: host names or IP addresses, besides
    /// localhost, 127.0.0.1 and ::1, which it always holds.
    /// </summary>
    public string Names { get; set; } = "";
}
