using ChatRoom.Core.Room;
using static ChatRoom.Core.Tests.Room.Scenario;

namespace ChatRoom.Core.Tests.Room;

/// <summary>Every line is paid for, logged in or not; a connection that keeps flooding is cut off.</summary>
public class LineCostTests
{
    [Theory]
    [InlineData("PONG x")]
    [InlineData("PING x")]
    [InlineData("JUMP")]
    [InlineData("SAY before login")]
    public void Lines_before_login_are_rate_limited_too(string line)
    {
        var room = Given().Open(1);
        var answers = Enumerable.Range(0, 25).SelectMany(_ => room.Line(1, line).Lines(1)).ToList();
        Assert.Equal(5, answers.Count(a => a.StartsWith("ERROR 429 too fast")));
    }

    [Fact]
    public void A_connection_that_keeps_flooding_is_disconnected_with_bye_flooding()
    {
        var settings = RoomSettings.Default;
        var room = Given().Open(1);
        var sent = 0;
        while (!room.Closed(1) && sent < 1000)
        {
            room.Line(1, "PONG x");
            sent++;
        }
        Assert.Equal(settings.RateBurst + settings.FloodAllowance + 1, sent);
        Assert.Equal(["BYE flooding"], room.Lines(1));
        Assert.Equal(Phase.Closed, room.State.PhaseOf(new(1)));
    }

    [Fact]
    public void Reconnecting_does_not_buy_a_flooder_a_fresh_allowance()
    {
        var room = Given().Open(1, "10.6.6.6");
        for (var i = 0; i < 200 && !room.Closed(1); i++) room.Line(1, "PONG x");
        room.Open(2, "10.6.6.6");
        Assert.Equal(["BYE flooding"], room.Lines(2));
        Assert.True(room.Closed(2));
        room.Open(3, "10.0.0.1");
        Assert.Equal([Hello], room.Lines(3)); // other addresses are not affected
        room.After(RoomSettings.Default.FloodCooldown).Open(4, "10.6.6.6");
        Assert.Equal([Hello], room.Lines(4));
    }

    [Fact]
    public void A_flooded_address_is_forgotten_once_its_cool_down_is_over()
    {
        var room = Given().Open(1, "10.6.6.6");
        for (var i = 0; i < 200 && !room.Closed(1); i++) room.Line(1, "PONG x");
        Assert.True(room.State.Addresses.ContainsKey("10.6.6.6"));
        room.After(RoomSettings.Default.FloodCooldown).Tick();
        Assert.False(room.State.Addresses.ContainsKey("10.6.6.6"));
    }

    [Fact]
    public void A_member_that_floods_is_disconnected_and_the_room_hears_why()
    {
        var room = Given().LoggedIn(1, "alice").LoggedIn(2, "bob");
        for (var i = 0; i < 200 && !room.Closed(2); i++) room.Line(2, "SAY spam");
        Assert.True(room.Closed(2));
        Assert.Contains(room.Lines(1), l => l.StartsWith("LEFT") && l.EndsWith("bob flooding"));
    }

    [Fact]
    public void Error_replies_per_second_are_bounded_by_the_rate_limit()
    {
        var room = Given().Open(1);
        var errors = 0;
        // Ten seconds of a steady 100 unknown verbs per second: the flood allowance ends it, and until then at
        // most the burst, the allowance and the refill were ever answered.
        for (var i = 0; i < 1000 && !room.Closed(1); i++)
        {
            errors += room.After(TimeSpan.FromMilliseconds(10)).Line(1, "JUMP").Lines(1).Count(l => l.StartsWith("ERROR"));
        }
        Assert.True(room.Closed(1));
        Assert.InRange(errors, 1, RoomSettings.Default.RateBurst + RoomSettings.Default.FloodAllowance + 10 * 2);
    }

    [Fact]
    public void Sending_at_the_rate_limit_is_never_flooding()
    {
        var room = Given().LoggedIn(1, "alice");
        for (var i = 0; i < 600; i++)
        {
            room.After(TimeSpan.FromMilliseconds(100)).Line(1, $"SAY {i}");
            Assert.StartsWith("MESSAGE", room.Lines(1).Single());
        }
    }

    [Fact]
    public void A_client_that_went_over_the_limit_is_served_again_as_soon_as_it_slows_down()
    {
        var room = Given().LoggedIn(1, "alice");
        for (var i = 0; i < 50; i++) room.Line(1, "SAY pasted"); // 20 sent, 30 refused: 30 strikes
        for (var i = 0; i < 100; i++)
        {
            room.After(TimeSpan.FromMilliseconds(100)).Line(1, $"SAY {i}");
            Assert.StartsWith("MESSAGE", room.Lines(1).Single());
        }
    }

    [Fact]
    public void Sending_at_twice_the_limit_is_flooding_within_seconds()
    {
        var room = Given().LoggedIn(1, "alice");
        var elapsed = TimeSpan.Zero;
        while (!room.Closed(1) && elapsed < TimeSpan.FromSeconds(60))
        {
            room.After(TimeSpan.FromMilliseconds(50)).Line(1, "SAY twice as fast");
            elapsed += TimeSpan.FromMilliseconds(50);
        }
        Assert.Equal(["BYE flooding"], room.Lines(1));
        Assert.InRange(elapsed.TotalSeconds, 5, 12);
    }

    [Fact]
    public void Quit_is_free_even_for_a_connection_past_its_limit()
    {
        var room = Given().LoggedIn(1, "alice");
        for (var i = 0; i < 30; i++) room.Line(1, "SAY x");
        room.Line(1, "QUIT bye");
        Assert.Equal(["BYE quit"], room.Lines(1));
    }

    [Fact]
    public void Who_costs_by_the_size_of_its_answer()
    {
        var settings = RoomSettings.Default with { WhoBytesPerToken = 10, RateBurst = 20 };
        var room = Given(settings);
        for (var i = 1; i <= 8; i++) room.LoggedIn(i, $"member{i}", $"10.0.0.{i}");
        // 8 nicks of 7 bytes and a space: 64 bytes, so a WHO costs 1 + 6 = 7 tokens of the burst of 20.
        var answered = Enumerable.Range(0, 4).Count(_ => room.Line(1, "WHO").Lines(1)[0].StartsWith("USERS"));
        Assert.Equal(2, answered);
    }

    [Fact]
    public void Who_in_a_huge_room_costs_at_most_the_burst_so_it_stays_affordable()
    {
        var room = Given(RoomSettings.Default with { WhoBytesPerToken = 1 });
        room.LoggedIn(1, "alice").LoggedIn(2, "bob").LoggedIn(3, "carol").LoggedIn(4, "dave").LoggedIn(5, "erin");
        // The answer is 26 bytes, so 27 tokens uncapped: more than the burst of 20 could ever hold.
        Assert.StartsWith("USERS", room.Line(1, "WHO").Lines(1)[0]);
        Assert.StartsWith("ERROR 429", room.Line(1, "WHO").Lines(1)[0]);
        Assert.StartsWith("USERS", room.After(TimeSpan.FromSeconds(4.1)).Line(1, "WHO").Lines(1)[0]);
    }
}
