using Terminal.Gui.App;
using Terminal.Gui.Drivers;

namespace ChatRoom.Client.FullScreen;

/// <summary>
/// Starts the full-screen mode: a Terminal.Gui application on the terminal (its ANSI driver, the alternate
/// screen), the <see cref="ChatWindow"/> and the <see cref="FullScreenShell"/> around the reducer. Returns the
/// program's exit code once the user has left.
/// </summary>
internal static class FullScreenApp
{
    public static int Run(FullScreenSettings settings)
    {
        using var app = Application.Create();
        app.Init(DriverRegistry.Names.ANSI);
        using var window = new ChatWindow();
        var shell = new FullScreenShell(app, window, settings, () => Ring(app));
        window.Initialized += (_, _) => (settings.Nick.Length == 0 ? window.Nick : settings.Password.Length == 0 ? window.Password : (global::Terminal.Gui.ViewBase.View)window.Join).SetFocus();
        app.Run(window);
        return shell.ExitCode;
    }

    /// <summary>The terminal's bell (BEL), written through the driver so it does not disturb what it draws.</summary>
    public static void Ring(IApplication app) => app.Driver?.WriteRaw("\a");
}
