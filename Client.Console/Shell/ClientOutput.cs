using ChatRoom.Client.Display;
using ChatRoom.Core.Client;
using ChatRoom.Client.Terminal;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Shell;

/// <summary>Where the client's output goes, by mode. Only the client's loop thread calls these.</summary>
internal abstract class ClientOutput
{
    /// <summary>An event for the transcript (or the JSON stream), with its marks (history, missed, an error's source and line).</summary>
    public abstract void Show(ClientEffect.Show show);

    /// <summary>A separator around a block of history: in the transcript, not in the JSON stream.</summary>
    public abstract void Separator(string text);

    /// <summary>Information for the person: help, warnings.</summary>
    public abstract void Notice(string text);

    /// <summary>A --trace line.</summary>
    public abstract void Trace(string text);

    /// <summary>The last words before exiting (why, when it was not a clean exit).</summary>
    public virtual void Final(string message)
    {
        if (message.Length > 0) Console.Error.WriteLine($"chatroom: {message}");
    }

    /// <summary>The input line changed (interactive mode only).</summary>
    public virtual void Input(string prompt, InputLine line)
    {
    }

    /// <summary>The terminal changed size, or the process continued after Ctrl+Z: draw the input line again.</summary>
    public virtual void Redraw()
    {
    }

    /// <summary>Ctrl+Z: clear the input line before the process stops.</summary>
    public virtual void Suspend()
    {
    }

    /// <summary>People, in a terminal: everything goes through the <see cref="Screen"/>, which keeps the input line intact.</summary>
    /// <paramref name="colour"/> dims history (a terminal, and no NO_COLOR in the environment).
    public sealed class Interactive(Screen screen, bool colour) : ClientOutput
    {
        public override void Show(ClientEffect.Show show) =>
            Transcript.Line(show.Event, show.Me, show.At).Iter(line => screen.Print(show.History && colour ? Transcript.Dim(line) : line));

        public override void Separator(string text) => screen.Print(colour ? Transcript.Dim(text) : text);

        public override void Notice(string text) => screen.Print(text);

        public override void Trace(string text) => screen.Print(text);

        public override void Input(string prompt, InputLine line) => screen.Input(prompt, line);

        public override void Redraw() => screen.Redraw();

        public override void Suspend() => screen.Suspend();

        public override void Final(string message)
        {
            screen.Close();
            base.Final(message);
        }
    }

    /// <summary>Scripts that want text: the transcript on standard output, the rest on standard error.</summary>
    public sealed class Text : ClientOutput
    {
        public override void Show(ClientEffect.Show show) =>
            Transcript.Line(show.Event, show.Me, show.At).Iter(Console.Out.WriteLine);

        public override void Separator(string text) => Console.Out.WriteLine(text);

        public override void Notice(string text) => Console.Error.WriteLine(text);

        public override void Trace(string text) => Console.Error.WriteLine(text);
    }

    /// <summary>Scripts that want data (--json): one JSON object per event on standard output, nothing else there.</summary>
    public sealed class Json : ClientOutput
    {
        public override void Show(ClientEffect.Show show) => JsonEvents.Format(show).Iter(Console.Out.WriteLine);

        public override void Separator(string text)
        {
        }

        public override void Notice(string text) => Console.Error.WriteLine(text);

        public override void Trace(string text) => Console.Error.WriteLine(text);
    }
}
