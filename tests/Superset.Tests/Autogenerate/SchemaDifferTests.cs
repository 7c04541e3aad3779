using Superset.Migrations.Autogenerate;
using Superset.Migrations.Lint;
using Superset.Migrations.Schema;

namespace Superset.Tests.Autogenerate;

/// <summary>The changes from one schema to another, and their order and warnings, from two schemas in memory.</summary>
[Trait("Category", "Unit")]
public sealed class SchemaDifferTests
{
    private static ColumnSchema Column(string name, ColumnType? type = null, bool nullable = false, string? @default = null, bool identity = false) =>
        new(name, type ?? ColumnType.Integer, nullable, @default, identity);

    private static TableSchema Table(string name, params ColumnSchema[] columns) =>
        new(name, columns, new PrimaryKeySchema($"{name}_pkey", [columns[0].Name]), [], [], []);

    private static DatabaseSchema Schema(params TableSchema[] tables) => new(tables);

    private static string[] Described(SchemaDiff diff) => diff.Changes.Select(c => c.Describe()).ToArray();

    private static readonly TableSchema Authors = Table("authors", Column("id", identity: true), Column("name", ColumnType.Varchar(100)));

    [Fact]
    public void The_same_schema_has_no_changes()
    {
        Assert.True(SchemaDiffer.Compare(Schema(Authors), Schema(Authors)).IsEmpty);
    }

    [Fact]
    public void A_new_table_is_created_with_its_unique_constraints_indexes_and_foreign_keys_after_it()
    {
        var posts = Table("posts", Column("id"), Column("author_id")) with
        {
            ForeignKeys = [new ForeignKeySchema("posts_author_id_fkey", ["author_id"], "authors", ["id"], OnDelete.Cascade)],
            Indexes = [new IndexSchema("ix_posts_author_id", ["author_id"], Unique: false)],
        };

        var diff = SchemaDiffer.Compare(Schema(Authors), Schema(Authors, posts));

        Assert.Equal(["create table posts", "add index ix_posts_author_id on posts", "add foreign key posts_author_id_fkey on posts"], Described(diff));
        Assert.All(diff.Changes, change => Assert.Null(change.Warning)); // a table made in the same migration has no rows, no writers
    }

    [Fact]
    public void A_dropped_table_loses_its_foreign_keys_first_and_warns()
    {
        var posts = Table("posts", Column("id"), Column("author_id")) with
        {
            ForeignKeys = [new ForeignKeySchema("posts_author_id_fkey", ["author_id"], "authors", ["id"], OnDelete.NoAction)],
        };

        var diff = SchemaDiffer.Compare(Schema(Authors, posts), Schema(Authors));

        Assert.Equal(["drop foreign key posts_author_id_fkey on posts", "drop table posts"], Described(diff));
        Assert.Equal(LintRules.BanDropTable, Assert.Single(diff.Changes[1].Risks).Rule);
        Assert.StartsWith("drops table posts and every row in it (ban-drop-table, error): ", diff.Changes[1].Warning);
    }

    [Fact]
    public void An_added_not_null_column_without_a_default_warns_and_one_with_a_default_does_not()
    {
        var withEmail = Authors with { Columns = [.. Authors.Columns, Column("email", ColumnType.Text)] };
        var withBio = Authors with { Columns = [.. Authors.Columns, Column("bio", ColumnType.Text, @default: "''::text")] };

        Assert.Equal(LintRules.AddingRequiredField, Assert.Single(SchemaDiffer.Compare(Schema(Authors), Schema(withEmail)).Changes.Single().Risks).Rule);
        Assert.Null(SchemaDiffer.Compare(Schema(Authors), Schema(withBio)).Changes.Single().Warning);
    }

    [Fact]
    public void A_narrowed_type_and_a_new_not_null_both_warn_on_one_change()
    {
        var narrowed = Authors with { Columns = [Authors.Columns[0], Column("name", ColumnType.Varchar(20))] };
        var wide = Authors with { Columns = [Authors.Columns[0], Column("name", ColumnType.Varchar(100), nullable: true)] };

        var change = Assert.IsType<AlterColumn>(SchemaDiffer.Compare(Schema(wide), Schema(narrowed)).Changes.Single());

        Assert.Equal([LintRules.ChangingColumnType, LintRules.AddingNotNullableField], change.Risks.Select(r => r.Rule));
        Assert.Contains("from varchar(100) to varchar(20)", change.Warning);
        Assert.Contains("sets authors.name NOT NULL", change.Warning);
    }

    [Fact]
    public void A_dropped_column_and_an_added_one_of_the_same_type_are_hinted_as_a_rename()
    {
        var renamed = Authors with { Columns = [Authors.Columns[0], Column("full_name", ColumnType.Varchar(100))] };

        var diff = SchemaDiffer.Compare(Schema(Authors), Schema(renamed));

        Assert.Equal(["add column authors.full_name", "drop column authors.name"], Described(diff));
        Assert.Contains("Rename.Column(\"name\").OnTable(\"authors\").To(\"full_name\")", Assert.Single(diff.Hints));
    }

    [Fact]
    public void A_table_dropped_and_one_created_with_the_same_columns_are_hinted_as_a_rename()
    {
        var writers = Authors with { Name = "writers", PrimaryKey = new PrimaryKeySchema("writers_pkey", ["id"]) };

        var diff = SchemaDiffer.Compare(Schema(Authors), Schema(writers));

        Assert.Contains("Rename.Table(\"authors\").To(\"writers\")", Assert.Single(diff.Hints));
    }

    [Fact]
    public void A_changed_index_is_dropped_and_added_again_and_a_new_index_on_an_existing_table_warns()
    {
        var before = Authors with { Indexes = [new IndexSchema("ix_authors_name", ["name"], Unique: false)] };
        var after = Authors with { Indexes = [new IndexSchema("ix_authors_name", ["name"], Unique: true)] };

        var diff = SchemaDiffer.Compare(Schema(before), Schema(after));

        Assert.Equal(["drop index ix_authors_name on authors", "add index ix_authors_name on authors"], Described(diff));
        Assert.Equal(LintRules.RequireConcurrentIndexCreation, Assert.Single(diff.Changes[1].Risks).Rule);
    }

    [Fact]
    public void An_expression_index_models_cannot_describe_is_left_alone_with_a_hint()
    {
        var before = Authors with { Indexes = [new IndexSchema("ix_lower_name", [], Unique: false, Definition: "lower(name)")] };

        var diff = SchemaDiffer.Compare(Schema(before), Schema(Authors));

        Assert.True(diff.IsEmpty);
        Assert.Contains("ix_lower_name", Assert.Single(diff.Hints));
    }

    [Fact]
    public void The_reverse_undoes_each_change_in_reverse_order()
    {
        var withEmail = Authors with { Columns = [.. Authors.Columns, Column("email", ColumnType.Text, nullable: true)], UniqueConstraints = [new UniqueSchema("authors_email_key", ["email"])] };

        var diff = SchemaDiffer.Compare(Schema(Authors), Schema(withEmail));

        Assert.Equal(["add column authors.email", "add unique constraint authors_email_key on authors"], Described(diff));
        Assert.Equal(["drop unique constraint authors_email_key on authors", "drop column authors.email"], diff.Reverse().Select(c => c.Describe()));
    }

    [Fact]
    public void An_identity_change_is_not_written_but_said()
    {
        var plain = Authors with { Columns = [Column("id"), Authors.Columns[1]] };

        var diff = SchemaDiffer.Compare(Schema(Authors), Schema(plain));

        Assert.Contains("stops being an identity column", Assert.Single(diff.Hints));
    }

    [Fact]
    public void A_changed_primary_key_is_dropped_then_added()
    {
        var composite = Authors with { PrimaryKey = new PrimaryKeySchema("authors_pkey", ["id", "name"]) };

        var diff = SchemaDiffer.Compare(Schema(Authors), Schema(composite));

        Assert.Equal(["drop primary key authors_pkey on authors", "add primary key authors_pkey on authors"], Described(diff));
    }
}
