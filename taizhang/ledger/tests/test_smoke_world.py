def test_world_builds_with_statuses(world):
    world.project_a.refresh_from_db()
    assert world.project_a.status in {"green", "amber", "red"}
    assert world.project_a.events.filter(kind="created").exists()
