using System.Text.Json;

namespace ChatRoom.Host.Tests;

/// <summary>appsettings.json is the list of every setting: it names each one, with the default the code has.</summary>
public class SettingsFileTests
{
    [Fact]
    public void Appsettings_lists_every_setting_with_the_default_of_the_code()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        var root = file.RootElement;
        void Check(object defaults, JsonElement section, string prefix)
        {
            foreach (var property in defaults.GetType().GetProperties().Where(p => p.SetMethod is not null))
            {
                if (property.PropertyType == typeof(LimitOptions) || property.PropertyType == typeof(TlsOptions) || property.PropertyType == typeof(LogOptions) || property.PropertyType == typeof(ClusterOptions)) continue;
                if (property.GetValue(defaults) is null)
                {
                    // Unset by default (Tls:Enabled: "on when bound to a network address"): JSON cannot say that.
                    Assert.False(section.TryGetProperty(property.Name, out _), $"{prefix}{property.Name} is unset in the code but set in appsettings.json");
                    continue;
                }
                Assert.True(section.TryGetProperty(property.Name, out var value), $"appsettings.json lacks {prefix}{property.Name}");
                var expected = Convert.ToString(property.GetValue(defaults), System.Globalization.CultureInfo.InvariantCulture)!.ToLowerInvariant();
                Assert.True(expected == value.ToString().ToLowerInvariant(), $"{prefix}{property.Name} is {value} in appsettings.json but {expected} in the code");
            }
        }
        Check(new ServerOptions(), root, "");
        Check(new LimitOptions(), root.GetProperty("Limits"), "Limits:");
        Check(new TlsOptions(), root.GetProperty("Tls"), "Tls:");
        Check(new LogOptions(), root.GetProperty("Log"), "Log:");
        Check(new ClusterOptions(), root.GetProperty("Cluster"), "Cluster:");
    }
}
