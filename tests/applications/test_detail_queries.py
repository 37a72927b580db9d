"""The application page in a fixed number of queries (issue 9: no page above 15).

The batch authority's official sees every panel: the county's review, the expert panel with the
pool to choose from, the scores, the publicity and listing. Their rows come with the application
or in one query each, whatever the size of the pool or the panel.
"""

import pytest
from django.urls import reverse

from reviews.models import CountyReview
from tests.factories import ExpertAssignmentFactory
from tests.reviews.test_expert_pool import luoyang_bureau, make_expert, member, recommended

pytestmark = pytest.mark.django_db

BUDGET = 15


def grow_pool(demo, count: int, start: int) -> None:
    for number in range(start, start + count):
        member(luoyang_bureau(demo), make_expert(f"专家{number:03d}"))


def test_the_authoritys_page_of_an_application_under_review(
    client, demo, django_assert_max_num_queries
):
    city = demo["luoyang-city"]
    application = recommended(demo)
    CountyReview.objects.create(application=application, notes="材料齐全，同意推荐。")
    grow_pool(demo, 3, start=1)
    application.status = "expert_review"
    application.save(update_fields=["status"])
    for membership in application.batch.authority.expert_memberships.all()[:2]:
        ExpertAssignmentFactory(application=application, expert=membership.expert, assigned_by=city)
    client.force_login(city)
    page = reverse("applications:application-detail", args=[application.pk])
    client.get(page)  # the content types are read once per process
    # Each tab renders its own panels (issue 17): the county's review on 初审与部门意见, the
    # panel and the pool on 专家评审.
    with django_assert_max_num_queries(BUDGET):
        response = client.get(page + "?tab=review")
    assert response.status_code == 200
    assert "材料齐全，同意推荐。" in response.content.decode()  # selected with the application
    url = page + "?tab=experts"
    with django_assert_max_num_queries(BUDGET) as small:
        response = client.get(url)
    assert response.status_code == 200
    assert "专家003" in response.content.decode()  # a pool member still to choose from

    grow_pool(demo, 20, start=4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "专家023" in response.content.decode()
