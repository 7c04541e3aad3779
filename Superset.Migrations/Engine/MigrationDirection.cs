namespace Superset.Migrations.Engine;

public enum MigrationDirection
{
    Up,
    Down,
}
