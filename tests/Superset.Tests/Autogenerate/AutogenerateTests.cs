using Superset.Migrations.Autogenerate;
using Superset.Migrations.Schema;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Autogenerate;

/// <summary>
/// For each kind of change: a model fixture goes from v1 to v2, the real <c>create</c> writes the migration, it is
/// compiled and applied, the live schema equals the model, <c>create</c> finds nothing more, and <c>downgrade</c>
/// restores the earlier schema exactly.
/// </summary>
[Trait("Category", "Db")]
public sealed class AutogenerateTests
{
    private const string Authors = """
        [Table("authors")]
        public sealed class Author
        {
            [PrimaryKey] public int Id { get; set; }
            [MaxLength(100)] public string Name { get; set; } = "";
        }
        """;

    /// <summary>Authors with more properties before Name.</summary>
    private static string WithAuthorColumns(string properties) =>
        Authors.Replace("[MaxLength(100)] public string Name", properties + " [MaxLength(100)] public string Name");

    public static TheoryData<string, string, string, string[]> Changes => new()
    {
        {
            "create table",
            Authors,
            Authors + """
                [Table("posts")]
                [Index("ix_posts_author_created", nameof(AuthorId), nameof(CreatedAt))]
                public sealed class Post
                {
                    [PrimaryKey] public long Id { get; set; }
                    [MaxLength(200)] public string Title { get; set; } = "";
                    public string? Body { get; set; }
                    [References<Author>(OnDelete = OnDelete.Cascade)] public int AuthorId { get; set; }
                    [Default(Sql.Now)] public DateTime CreatedAt { get; set; }
                    [Default("false")] public bool Published { get; set; }
                    [Unique] [MaxLength(120)] public string Slug { get; set; } = "";
                }
                """,
            []
        },
        {
            "drop table",
            Authors + """
                [Table("tags")]
                public sealed class Tag
                {
                    [PrimaryKey] public int Id { get; set; }
                    [Index(Unique = true)] [MaxLength(50)] public string Label { get; set; } = "";
                }
                """,
            Authors,
            ["drops table tags and every row in it"]
        },
        {
            "add nullable column",
            Authors,
            WithAuthorColumns("public string? Bio { get; set; }"),
            []
        },
        {
            "add not-null column with a default",
            Authors,
            WithAuthorColumns("[Default(\"'unknown'\")] [MaxLength(20)] public string Country { get; set; } = \"\";"),
            []
        },
        {
            "add not-null column without a default",
            Authors,
            WithAuthorColumns("public int Rank { get; set; }"),
            ["NOT NULL without a default"]
        },
        {
            "drop column",
            WithAuthorColumns("public string? Bio { get; set; }"),
            Authors,
            ["drops column authors.bio and its data"]
        },
        {
            "widen type",
            Authors,
            Authors.Replace("[MaxLength(100)]", "[MaxLength(300)]"),
            []
        },
        {
            "narrow type",
            Authors,
            Authors.Replace("[MaxLength(100)]", "[MaxLength(20)]"),
            ["from varchar(100) to varchar(20)"]
        },
        {
            "integer to bigint, text to varchar, numeric, uuid, jsonb, dates",
            WithAuthorColumns("public int Score { get; set; } public string? Notes { get; set; }"),
            WithAuthorColumns("""
                public long Score { get; set; } [MaxLength(500)] public string? Notes { get; set; }
                [Precision(10, 2)] public decimal? Balance { get; set; } public Guid? ExternalId { get; set; }
                [ColumnType("jsonb")] [Default("'{}'::jsonb")] public string? Settings { get; set; }
                public DateOnly? Born { get; set; } public TimeOnly? WakesAt { get; set; } public DateTimeOffset? SeenAt { get; set; }
                public double? Weight { get; set; } public float? Ratio { get; set; } public short? Level { get; set; } public byte[]? Avatar { get; set; }
                """),
            ["from text to varchar(500)"]
        },
        {
            "nullability",
            Authors.Replace("[MaxLength(100)] public string Name { get; set; } = \"\";", "[MaxLength(100)] public string? Name { get; set; }"),
            Authors,
            ["sets authors.name NOT NULL"]
        },
        {
            "defaults added, changed and removed",
            WithAuthorColumns("[Default(\"0\")] public int Stars { get; set; } [Default(\"'new'\")] [MaxLength(10)] public string State { get; set; } = \"\"; public DateTime? Since { get; set; }"),
            WithAuthorColumns("public int Stars { get; set; } [Default(\"'active'\")] [MaxLength(10)] public string State { get; set; } = \"\"; [Default(Sql.Now)] public DateTime? Since { get; set; }"),
            []
        },
        {
            "indexes and unique constraints",
            Authors.Replace("[MaxLength(100)] public string Name", "[Index] [MaxLength(100)] public string Name"),
            Authors.Replace("[MaxLength(100)] public string Name", "[Unique] [MaxLength(100)] public string Name")
                .Replace("public sealed class Author", "[Index(\"ix_authors_name_id\", nameof(Name), nameof(Id), Unique = true)] public sealed class Author"),
            ["without CONCURRENTLY"]
        },
        {
            "foreign key added and removed",
            Authors + """
                [Table("books")]
                public sealed class Book
                {
                    [PrimaryKey] public int Id { get; set; }
                    public int? AuthorId { get; set; }
                    public int? EditorId { get; set; }
                    [References<Author>] public int? ReviewerId { get; set; }
                }
                """,
            Authors + """
                [Table("books")]
                public sealed class Book
                {
                    [PrimaryKey] public int Id { get; set; }
                    [References<Author>(OnDelete = OnDelete.SetNull)] public int? AuthorId { get; set; }
                    [References<Author>(OnDelete = OnDelete.Restrict)] public int? EditorId { get; set; }
                    public int? ReviewerId { get; set; }
                }
                """,
            ["adds foreign key books_author_id_fkey on books without NOT VALID (constraint-missing-not-valid, error)",
             "adds foreign key books_editor_id_fkey on books without NOT VALID (constraint-missing-not-valid, error)"]
        },
        {
            "composite primary key",
            """
                [Table("memberships")]
                public sealed class Membership
                {
                    [PrimaryKey(Identity = false)] public int GroupId { get; set; }
                    public int UserId { get; set; }
                }
                """,
            """
                [Table("memberships")]
                public sealed class Membership
                {
                    [PrimaryKey(Identity = false)] public int GroupId { get; set; }
                    [PrimaryKey(Identity = false)] public int UserId { get; set; }
                }
                """,
            []
        },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Create_writes_a_migration_that_makes_the_schema_equal_the_model_and_reverses_exactly(
        string change, string before, string after, string[] warnings)
    {
        await using var scenario = await Scenario.StartAsync();

        await scenario.ApplyModelAsync(before);
        var earlier = await scenario.DumpAsync();

        var (create, code) = await scenario.ApplyModelAsync(after);
        foreach (var warning in warnings)
        {
            Assert.Contains(warning, create.Error);
            Assert.Contains(warning, code);
        }

        if (warnings.Length == 0)
        {
            Assert.DoesNotContain("WARNING", create.Error);
        }

        Assert.Equal(0, (await scenario.Cli().RunAsync("downgrade")).ExitCode);

        // PostgreSQL adds a column at the end of its table: a column that Down puts back after a drop comes back
        // complete (type, default, constraints) but not in its old place.
        var restored = await scenario.DumpAsync();
        var (expected, actual) = change == "drop column"
            ? (SchemaDump.IgnoringColumnOrder(earlier), SchemaDump.IgnoringColumnOrder(restored))
            : (earlier, restored);
        Assert.True(expected == actual, $"downgrade of '{change}' did not restore the earlier schema:\n{code}\n--- before\n{earlier}\n--- after\n{restored}");
    }

    [Fact]
    public async Task A_dropped_column_and_an_added_one_of_the_same_type_is_reported_as_a_possible_rename()
    {
        await using var scenario = await Scenario.StartAsync();
        await scenario.ApplyModelAsync(WithAuthorColumns("public string? Bio { get; set; }"));

        var (create, code) = await scenario.ApplyModelAsync(WithAuthorColumns("public string? About { get; set; }"));

        Assert.Contains("💡 Possible rename: authors.bio → authors.about", create.Error);
        Assert.Contains("Rename.Column(\"bio\").OnTable(\"authors\").To(\"about\")", code);
        Assert.Contains("// HINT: Possible rename", code);
    }

    [Fact]
    public async Task The_same_change_always_gives_the_same_migration()
    {
        var before = ModelReader.Read(MigrationCompiler.CompileAndLoad(TestPaths.NewTempDirectory("m"), [Scenario.ModelSource(Authors)]).GetTypes());
        var after = ModelReader.Read(MigrationCompiler.CompileAndLoad(TestPaths.NewTempDirectory("m"), [Scenario.ModelSource(Changes.First()[2].ToString()!)]).GetTypes());

        var first = Autogenerator.Generate(before, after);
        var second = Autogenerator.Generate(before, after);

        Assert.Equal(first.Up, second.Up);
        Assert.Equal(first.Down, second.Down);
        Assert.NotEmpty(first.Up);
    }

    [Fact]
    public async Task The_app_s_models_match_its_migrations()
    {
        var server = await TestPostgresServer.GetAsync();
        var migrated = await ShadowDatabase.ReadSchemaAsync(server.ConnectionString("postgres"), Superset.Migrations.Engine.MigrationSource.App);

        var diff = SchemaDiffer.Compare(migrated, ModelReader.App);

        Assert.True(diff.IsEmpty, "Models and migrations disagree: " + string.Join("; ", diff.Changes.Select(c => c.Describe())));
        Assert.Equal(["blog_posts", "my_new_table", "user_preferences"], ModelReader.App.Tables.Select(t => t.Name));
    }

    [Fact]
    public async Task With_no_change_create_says_so_and_writes_nothing()
    {
        await using var scenario = await Scenario.StartAsync();
        await scenario.ApplyModelAsync(Authors);

        var again = await scenario.CreateAsync(Authors, "nothing new");

        Assert.Equal(0, again.ExitCode);
        Assert.Equal("No changes in schema detected.", again.Out.Trim());
        Assert.Single(Directory.GetFiles(scenario.MigrationsDirectory));
    }

    [Fact]
    public async Task The_shadow_database_is_dropped_even_when_a_migration_fails()
    {
        var server = await TestPostgresServer.GetAsync();
        var broken = Superset.Migrations.Engine.MigrationSource.FromAssembly(MigrationCompiler.CompileAndLoad(TestPaths.NewTempDirectory("broken"),
        [
            """
            using FluentMigrator;
            [Migration(1, "broken")]
            public sealed class Broken : Migration
            {
                public override void Up() => Execute.Sql("SELECT * FROM no_such_table");
                public override void Down() { }
            }
            """,
        ]));

        await Assert.ThrowsAsync<Superset.Migrations.Engine.MigrationFailedException>(
            () => ShadowDatabase.ReadSchemaAsync(server.ConnectionString("postgres"), broken));

        await using var connection = await server.OpenAsync("postgres");
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname LIKE 'postgres_shadow_%'", connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>A database, a migrations folder and the models, moved forward one version at a time.</summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private readonly TestDatabase _database;
        private string? _migrationsAssembly;

        private Scenario(TestDatabase database)
        {
            _database = database;
            MigrationsDirectory = TestPaths.NewTempDirectory("autogen");
        }

        public string MigrationsDirectory { get; }

        public static async Task<Scenario> StartAsync() => new(await TestDatabases.NewAsync());

        public static string ModelSource(string models) => "using System;\nusing Superset.Migrations.Schema;\nnamespace Models;\n" + models;

        public CliRunner Cli() => CliRunner.For(_database, _migrationsAssembly, MigrationsDirectory);

        public async Task<CliResult> CreateAsync(string models, string description)
        {
            var modelsAssembly = MigrationCompiler.Compile(TestPaths.NewTempDirectory("models"), [ModelSource(models)]);
            var cli = _migrationsAssembly is null
                ? new CliRunner(UriOf(_database), EmptyMigrations(), MigrationsDirectory)
                : Cli();
            return await cli.RunAsync("create", description, "--models-assembly", modelsAssembly);
        }

        /// <summary>create, build, upgrade, then the live schema must equal the model and create must find nothing.</summary>
        public async Task<(CliResult Create, string Code)> ApplyModelAsync(string models)
        {
            var before = Directory.GetFiles(MigrationsDirectory).ToHashSet();
            var create = await CreateAsync(models, $"step {before.Count + 1}");
            Assert.True(create.ExitCode == 0, create.ToString());
            var file = Assert.Single(Directory.GetFiles(MigrationsDirectory), f => !before.Contains(f));
            var code = await File.ReadAllTextAsync(file);

            _migrationsAssembly = MigrationCompiler.Compile(TestPaths.NewTempDirectory("built"), Directory.GetFiles(MigrationsDirectory).Select(File.ReadAllText));
            var upgrade = await Cli().RunAsync("upgrade");
            Assert.True(upgrade.ExitCode == 0, upgrade + "\n" + code);

            await using (var connection = await _database.OpenAsync())
            {
                var live = await CatalogReader.ReadAsync(connection);
                var expected = ModelReader.Read(MigrationCompiler.CompileAndLoad(TestPaths.NewTempDirectory("models"), [ModelSource(models)]).GetTypes());
                var diff = SchemaDiffer.Compare(live, expected);
                Assert.True(diff.IsEmpty, "The live schema differs from the model: " + string.Join("; ", diff.Changes.Select(c => c.Describe())) + "\n" + code);
            }

            var again = await CreateAsync(models, "again");
            Assert.Equal("No changes in schema detected.", again.Out.Trim());
            return (create, code);
        }

        public Task<string> DumpAsync() => SchemaDump.OfAsync(_database.Server.ConnectionString(_database.Name));

        public ValueTask DisposeAsync() => _database.DisposeAsync();

        private static string EmptyMigrations() => MigrationCompiler.Compile(TestPaths.NewTempDirectory("none"), ["namespace Nothing;"]);

        private static string UriOf(TestDatabase database)
        {
            var builder = database.Server.ConnectionString(database.Name);
            return $"postgresql://{builder.Username}:{builder.Password}@{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }
}
