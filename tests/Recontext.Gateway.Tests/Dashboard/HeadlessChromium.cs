using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Recontext.Gateway.Tests.Dashboard;

/// <summary>Debian's Chromium, headless, driven through its chromedriver (both installed by .ci/run); never a browser
/// or driver downloaded at run time.</summary>
sealed class HeadlessChromium : IDisposable
{
    const string BrowserPath = "/usr/bin/chromium", DriverPath = "/usr/bin/chromedriver";

    public ChromeDriver Driver { get; }

    public HeadlessChromium(int width = 1280, int height = 1600)
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
            throw new InvalidOperationException($"the browser tests need {BrowserPath} and {DriverPath}: apt-get install chromium chromium-driver (.ci/run does)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={width},{height}");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public object? Script(string script, params object[] arguments) => ((IJavaScriptExecutor)Driver).ExecuteScript(script, arguments);

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> after the timeout.</summary>
    public void WaitFor(Func<bool> condition, string what, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds} s for {what}");
            Thread.Sleep(200);
        }
    }

    /// <summary>A screenshot of the whole page in the test's output folder.</summary>
    public string Screenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
