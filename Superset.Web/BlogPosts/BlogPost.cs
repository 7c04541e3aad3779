namespace Superset.Web.BlogPosts;

internal sealed record BlogPost(int Id, string Title, string? Content, DateTime? CreatedAt);

/// <summary>What a client sends to create a post.</summary>
internal sealed record NewBlogPost(string? Title, string? Content)
{
    /// <summary>The column is varchar(200): PostgreSQL counts characters, so do we (not UTF-16 code units).</summary>
    public const int MaxTitleLength = 200;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Title))
        {
            errors["title"] = ["The title is required."];
        }
        else if (Title.EnumerateRunes().Count() > MaxTitleLength)
        {
            errors["title"] = [$"The title has at most {MaxTitleLength} characters (this one has {Title.EnumerateRunes().Count()})."];
        }

        return errors;
    }
}
