namespace ChatRoom.Client.Tests.EndToEnd;

/// <summary>A [Fact] that is skipped, with a message, where tmux is not installed.</summary>
public sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute()
    {
        if (Tmux.Path is null) Skip = "tmux is not installed: the interactive check needs a pseudo-terminal driven by tmux";
    }
}
