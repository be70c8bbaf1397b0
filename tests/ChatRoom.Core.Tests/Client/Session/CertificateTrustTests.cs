using ChatRoom.Core.Client;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>The client's trust rules for a TLS certificate, in their order.</summary>
public class CertificateTrustTests
{
    private static readonly string Presented = "SHA256:" + string.Join(':', Enumerable.Repeat("AA", 32));
    private static readonly string Other = "SHA256:" + string.Join(':', Enumerable.Repeat("BB", 32));

    private static TrustVerdict Decide(bool system = false, string? pinned = null, string? remembered = null) =>
        CertificateTrust.Decide("h:1", Presented, system, Optional(pinned), Optional(remembered), "/k");

    [Fact]
    public void A_pinned_fingerprint_decides_alone()
    {
        Assert.IsType<TrustVerdict.Trusted>(Decide(pinned: Presented, remembered: Other));
        Assert.IsType<TrustVerdict.Refused>(Decide(system: true, pinned: Other));
    }

    [Fact]
    public void The_system_store_vouches_when_nothing_is_pinned() =>
        Assert.IsType<TrustVerdict.Trusted>(Decide(system: true, remembered: Other));

    [Fact]
    public void A_remembered_certificate_must_stay_the_same()
    {
        Assert.IsType<TrustVerdict.Trusted>(Decide(remembered: Presented));
        var changed = Assert.IsType<TrustVerdict.Refused>(Decide(remembered: Other));
        Assert.Contains("has changed", changed.Why);
    }

    [Fact]
    public void Nothing_vouching_is_unknown() =>
        Assert.Equal(new TrustVerdict.Unknown(Presented), Decide());

    [Theory]
    [InlineData("SHA256:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA")]
    [InlineData("sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("sha256 Fingerprint=AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA")]
    public void Fingerprints_are_read_in_the_forms_people_paste(string text) =>
        Assert.Equal(Optional(Presented), CertificateTrust.Normalize(text));

    [Theory]
    [InlineData("")]
    [InlineData("SHA256:AA")]
    [InlineData("MD5:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Anything_else_is_not_a_fingerprint(string text) =>
        Assert.True(CertificateTrust.Normalize(text).IsNone);
}
