using Superset.Web.BlogPosts;
using Superset.Web.Extensions;
using Superset.Web.Migrations;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMigrationsApi();
app.MapBlogPostsApi();

app.Run();

/// <summary>The web app's entry point, named so that tests can host it.</summary>
public partial class Program;
