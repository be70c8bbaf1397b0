namespace ChatRoom.Host.Tests.Cluster;

/// <summary>Which drafts of a try count for certain, given where JetStream stored each copy (<see cref="CopyOrder"/>).</summary>
public sealed class CopyOrderTests
{
    [Fact]
    public void Drafts_stored_in_order_all_count()
    {
        Assert.Equal((3, 12L), CopyOrder.InTurn(9, [10, 11, 12]));
        Assert.Equal((2, 20L), CopyOrder.InTurn(9, [15, 20]));
        Assert.Equal((0, 9L), CopyOrder.InTurn(9, []));
    }

    [Fact]
    public void Nothing_after_a_failed_ack_counts_even_if_it_was_stored()
    {
        Assert.Equal((1, 10L), CopyOrder.InTurn(9, [10, null, 12]));
        Assert.Equal((0, 9L), CopyOrder.InTurn(9, [null, 11]));
    }

    [Fact]
    public void A_draft_stored_before_the_last_that_counts_does_not_count_nor_anything_after_it()
    {
        Assert.Equal((1, 14L), CopyOrder.InTurn(9, [14, 12, 15])); // the second was stored ahead of the first
        Assert.Equal((0, 9L), CopyOrder.InTurn(9, [9, 10])); // a duplicate's ack names where its first copy is
    }
}
