using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;

namespace ChatRoom.Client.FullScreen;

/// <summary>The pane listing who is online (a <see cref="UserList"/>), you marked with a star.</summary>
internal sealed class UserListView : View
{
    private UserList _users = UserList.Empty;
    private string _me = "";

    public UserListView()
    {
        CanFocus = false;
        BorderStyle = LineStyle.Single;
        Title = "Online";
    }

    public UserList Users => _users;

    public void Show(UserList users, string me)
    {
        _users = users;
        _me = me;
        Title = users.Count == 0 ? "Online" : $"Online ({users.Count})";
        SetNeedsDraw();
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        var row = 0;
        foreach (var nick in _users.Nicks)
        {
            if (row >= Viewport.Height) break;
            var mine = _me.Length > 0 && Core.Protocol.Syntax.FoldNick(nick) == Core.Protocol.Syntax.FoldNick(_me);
            AddStr(0, row++, (mine ? "*" : " ") + nick);
        }
        return true;
    }
}
