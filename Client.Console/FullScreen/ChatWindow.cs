using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace ChatRoom.Client.FullScreen;

/// <summary>
/// The full-screen layout, after the original tkinter window and WeeChat: the login area on top (server,
/// nickname, masked password, Join), the transcript with the user list on its right, the compose box, and the
/// status line at the bottom. It only holds views; <see cref="FullScreenShell"/> decides what they show.
/// </summary>
internal sealed class ChatWindow : Window
{
    public const int UsersWidth = 22;

    /// <summary>
    /// For labels that show what the server, a nickname or a path says: Terminal.Gui would take their first <c>_</c>
    /// for a hotkey mark and not draw it (<c>bob_smith</c> shown as <c>bobsmith</c>, <c>known_hosts</c> as <c>knownhosts</c>).
    /// </summary>
    public static readonly System.Text.Rune NoHotKey = new(0xFFFF);

    public TextField Server { get; }
    public TextField Nick { get; }
    public TextField Password { get; }
    public Button Join { get; }
    public Label LoginHint { get; }
    public TranscriptView Transcript { get; }
    public UserListView Users { get; }
    public TextField Compose { get; }
    public Label Status { get; }
    public RefusalBox Refusal { get; }
    public TrustBox Trust { get; }

    private readonly View _login;

    public ChatWindow()
    {
        Title = "ChatRoom";
        BorderStyle = LineStyle.None;

        _login = new View { X = 0, Y = 0, Width = Dim.Fill(), Height = 4, BorderStyle = LineStyle.Single, Title = "Login", CanFocus = true };
        var serverLabel = new Label { X = 0, Y = 0, Text = "Server:" };
        Server = new TextField { X = Pos.Right(serverLabel) + 1, Y = 0, Width = 21 };
        var nickLabel = new Label { X = Pos.Right(Server) + 2, Y = 0, Text = "Nickname:" };
        Nick = new TextField { X = Pos.Right(nickLabel) + 1, Y = 0, Width = 14 };
        var passwordLabel = new Label { X = Pos.Right(Nick) + 2, Y = 0, Text = "Password:" };
        Password = new TextField { X = Pos.Right(passwordLabel) + 1, Y = 0, Width = 14, Secret = true };
        Join = new Button { X = Pos.Right(Password) + 2, Y = 0, Text = "Join", ShadowStyle = ShadowStyles.None };
        LoginHint = new Label { X = 0, Y = 1, Width = Dim.Fill(), Text = "", HotKeySpecifier = NoHotKey };
        _login.Add(serverLabel, Server, nickLabel, Nick, passwordLabel, Password, Join, LoginHint);

        Status = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Height = 1, Text = "", HotKeySpecifier = NoHotKey };
        var compose = new View { X = 0, Y = Pos.AnchorEnd(4), Width = Dim.Fill(), Height = 3, BorderStyle = LineStyle.Single, CanFocus = true,
            Title = "Message: Enter sends, Up/Down recall, Tab completes a nickname, PageUp/PageDown scroll, Ctrl+Q quits" };
        Compose = new TextField { X = 0, Y = 0, Width = Dim.Fill() };
        compose.Add(Compose);

        Users = new UserListView { X = Pos.AnchorEnd(UsersWidth), Y = Pos.Bottom(_login), Width = UsersWidth, Height = Dim.Fill(4) };
        Transcript = new TranscriptView { X = 0, Y = Pos.Bottom(_login), Width = Dim.Fill(UsersWidth), Height = Dim.Fill(4) };
        Refusal = new RefusalBox();
        Trust = new TrustBox();
        Add(_login, Transcript, Users, compose, Status, Refusal, Trust);
    }

    /// <summary>The login area takes input only while no session is in progress.</summary>
    public void LoginEnabled(bool enabled)
    {
        foreach (var view in new View[] { Server, Nick, Password, Join }) view.Enabled = enabled;
    }
}

/// <summary>
/// A dialog drawn over the window, not run as a modal session, so the network keeps being served while it is
/// open: a title, a text of <c>rows</c> rows, and its buttons on the row below; <see cref="Open"/> gives the
/// focus to the button that answers when Enter alone is pressed.
/// </summary>
internal abstract class OverlayBox : View
{
    private readonly Label _text;

    protected OverlayBox(string title, int widthPercent, int rows)
    {
        X = Pos.Center();
        Y = Pos.Center();
        Width = Dim.Percent(widthPercent);
        Height = rows + 4;
        BorderStyle = LineStyle.Double;
        Title = title;
        Visible = false;
        CanFocus = true;
        _text = new Label { X = 1, Y = 0, Width = Dim.Fill(1), Height = rows, Text = "", HotKeySpecifier = ChatWindow.NoHotKey };
        Add(_text);
    }

    protected abstract Button Default { get; }

    public string Message => _text.Text;

    public void Open(string message)
    {
        _text.Text = message;
        Visible = true;
        Default.SetFocus();
    }

    public void Close() => Visible = false;

    protected static Button NewButton(Pos x, int row, string text, bool isDefault = false) =>
        new() { X = x, Y = row, Text = text, IsDefault = isDefault, ShadowStyle = ShadowStyles.None };
}

/// <summary>Why the server refused a login. OK (or Enter, or Esc) closes it.</summary>
internal sealed class RefusalBox : OverlayBox
{
    private const int Rows = 3;

    public Button Ok { get; }

    public RefusalBox() : base("Login refused", 70, Rows)
    {
        Ok = NewButton(Pos.Center(), Rows + 1, "OK", isDefault: true);
        Add(Ok);
    }

    protected override Button Default => Ok;
}

/// <summary>
/// Trust on first use, as SSH asks: the certificate's fingerprint of a server never seen before, and whether to
/// trust it and remember it. Refuse has the focus, so Enter alone never trusts.
/// </summary>
internal sealed class TrustBox : OverlayBox
{
    private const int Rows = 11;

    public Button Accept { get; }
    public Button Refuse { get; }

    public TrustBox() : base("Unknown certificate", 90, Rows)
    {
        Accept = NewButton(Pos.Center() - 12, Rows + 1, "Trust it");
        Refuse = NewButton(Pos.Center() + 2, Rows + 1, "Refuse", isDefault: true);
        Add(Accept, Refuse);
    }

    protected override Button Default => Refuse;
}
