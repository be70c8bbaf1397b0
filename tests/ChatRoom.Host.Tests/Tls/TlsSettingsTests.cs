using Microsoft.Extensions.Configuration;

namespace ChatRoom.Host.Tests.Tls;

/// <summary>Passwords never cross a network in clear by default: what Bind, Tls:* and PlaintextRemote turn on.</summary>
public class TlsSettingsTests
{
    private static ServerOptions Read(params (string Key, string Value)[] settings) =>
        ServerOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build())
            .IfFail(e => throw new InvalidOperationException(e.Message));

    private static string Problem(params (string Key, string Value)[] settings) =>
        ServerOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build())
            .Match(_ => "", e => e.Message);

    [Fact]
    public void On_loopback_tls_is_off_and_plaintext_serves_everyone()
    {
        var options = Read();
        Assert.False(options.TlsEnabled);
        Assert.False(options.ToRoomSettings().PlaintextLoopbackOnly);
    }

    [Fact]
    public void On_a_network_address_tls_is_on_and_plaintext_serves_loopback_only()
    {
        var options = Read(("Bind", "0.0.0.0"));
        Assert.True(options.TlsEnabled);
        var room = options.ToRoomSettings();
        Assert.True(room.PlaintextLoopbackOnly);
        Assert.Equal(7778, room.TlsPort);
    }

    [Fact]
    public void PlaintextRemote_serves_the_network_in_clear_when_asked()
    {
        Assert.False(Read(("Bind", "0.0.0.0"), ("PlaintextRemote", "true")).ToRoomSettings().PlaintextLoopbackOnly);
    }

    [Fact]
    public void Tls_can_be_turned_off_on_the_network_and_on_for_loopback()
    {
        Assert.False(Read(("Bind", "0.0.0.0"), ("Tls:Enabled", "false")).TlsEnabled);
        Assert.True(Read(("Tls:Enabled", "true")).TlsEnabled);
    }

    [Fact]
    public void Bad_tls_settings_are_refused_by_name()
    {
        Assert.Contains("Tls:Certificate and Tls:Key go together", Problem(("Tls:Certificate", "/etc/x.pem")));
        Assert.Contains("TLS needs a port of its own", Problem(("Tls:Enabled", "true"), ("Tls:Port", "7777")));
        Assert.Contains("Tls:Port 70000 is out of range", Problem(("Tls:Port", "70000")));
        Assert.Contains("'Tls:Sertificate'", Problem(("Tls:Sertificate", "/etc/x.pem")));
    }
}
