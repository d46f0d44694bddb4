"""The home-region rule that keeps versions and idempotency right over a last-writer-wins
global table: a playlist changes only in the region that made it."""

from __future__ import annotations

import pytest

from aidj_service.stores.home_region import HomeRegions, WrongRegion

EU, US = "eu-west-1", "us-east-1"
ENV = {"AIDJ_REGIONS": f"{EU},{US}"}


def in_region(region: str) -> HomeRegions:
    return HomeRegions.from_env({**ENV, "AWS_REGION": region})


def made_in(region: str) -> dict:
    data: dict = {}
    in_region(region).stamp(data)
    return data


def test_one_region_is_the_default_and_every_write_is_allowed():
    single = HomeRegions.from_env({"AWS_REGION": EU})
    assert not single.active
    single.check_write("p1", {"home_region": US})
    data: dict = {}
    single.stamp(data)
    assert data == {}


def test_a_new_playlists_home_is_the_region_that_made_it():
    assert made_in(US) == {"home_region": US}
    assert in_region(EU).home_of(made_in(US)) == US


def test_the_home_region_may_change_its_playlist():
    in_region(US).check_write("p1", made_in(US))


def test_another_region_is_refused_naming_the_home():
    with pytest.raises(WrongRegion, match=f"home region {US} \\(this is {EU}\\)") as refused:
        in_region(EU).check_write("p1", made_in(US))
    assert refused.value.home == US


def test_playlists_from_before_regions_belong_to_the_first_listed_region():
    legacy: dict = {"name": "made when the stack had one region"}
    assert in_region(US).home_of(legacy) == EU
    in_region(EU).check_write("p1", legacy)
    with pytest.raises(WrongRegion):
        in_region(US).check_write("p1", legacy)


def test_a_home_no_longer_listed_falls_back_to_the_first_region():
    # a region removed from aidj:regions: its playlists are adopted by the stack's home
    assert in_region(EU).home_of({"home_region": "ap-south-1"}) == EU


def test_each_region_refreshes_only_the_playlists_homed_there():
    playlists = [made_in(EU), made_in(US), {}]
    assert [in_region(EU).is_home(p) for p in playlists] == [True, False, True]
    assert [in_region(US).is_home(p) for p in playlists] == [False, True, False]


def test_a_process_outside_the_listed_regions_refuses_to_start():
    with pytest.raises(ValueError, match="set AWS_REGION to one of them"):
        HomeRegions.from_env({**ENV, "AWS_REGION": "sa-east-1"})
