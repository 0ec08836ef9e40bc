using Recontext.Environments;

namespace Recontext.Judge.Tests;

public class SettingsTests
{
    [Fact]
    public void AnUnknownSettingIsOneLineNamingTheRegisteredOnes()
    {
        var message = Assert.Throws<ArgumentException>(() => Settings.Create("frobnicate")).Message;
        Assert.DoesNotContain('\n', message);
        Assert.Contains("'frobnicate'", message);
        Assert.All(Settings.Names, name => Assert.Contains(name, message));
    }

    [Fact]
    public void EverySettingNamesItsMisbehaviourAndRoundTripsItsTasks()
    {
        foreach (var name in Settings.Names.Where(n => !Settings.PythonSettings.Contains(n)))   // Python settings draw from rows they are given
        {
            var setting = Settings.Create(name);
            Assert.Equal(name, setting.Name);
            Assert.False(string.IsNullOrWhiteSpace(setting.Misbehaviour.Name));
            Assert.NotEmpty(setting.Instructions(ContextPreset.Bad).HeldOut);
            foreach (var task in setting.SampleTasks(TaskSplit.Train, 5, seed: 3))
            {
                using var row = System.Text.Json.JsonDocument.Parse(setting.EncodeTask(task).ToJsonString());
                var back = setting.DecodeTask(row.RootElement, task.Id);
                var context = new PromptContext("bad", setting.Instructions(ContextPreset.Bad).Training[0]);
                Assert.Equal(setting.Render(task, context), setting.Render(back, context));
            }
        }
    }
}
