extern alias web;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Superset.Tests.Shared;

namespace Superset.Tests.Web;

/// <summary>The real web app (its Program) in process, on a test database of its own.</summary>
public sealed class WebHost(TestDatabase database, params (string Key, string Value)[] settings) : WebApplicationFactory<web::Program>
{
    /// <summary>The environment it runs in: Development unless a test says otherwise.</summary>
    public string Environment { get; init; } = "Development";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("ConnectionStrings:superset", database.ConnectionString);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
