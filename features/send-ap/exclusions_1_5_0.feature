@v1.5.0
Feature: An independent review only for an application made in time (version 1.5.0)
  After a permanent exclusion, the parent may apply for an independent review of the decision
  not to reinstate the pupil. The application "must be made to the arranging authority within
  15 school days after the day on which the relevant person is given notice in writing of the
  responsible body's decision" (SI 2012/1033 Sch 1 para 2(1)), and "The local authority are not
  to take the steps in paragraph (1) where the relevant person has not applied for a review
  within the time limit specified in Schedule 1" (reg 16(2)). The notice is dated the day it is
  given: posted first class on Thursday 7 May 2026, it is given on Monday 11 May. Counted on the
  weekdays calendar, the fifteenth school day after Monday 11 May 2026 is Tuesday 2 June (Monday
  25 May is a bank holiday); the review is then due on the fifteenth school day after the
  application.

  Background:
    Given a child born on 2 February 2012

  Rule: exclusion.review_panel - only for an application made in time

    Scenario: Applied on the last day: the review is owed by the fifteenth school day after it
      Given the parent given notice on Monday 11 May 2026 of the decision not to reinstate the pupil
      And an independent review applied for on Tuesday 2 June 2026 against the notice not to reinstate, arranged by the local authority
      And the independent review panel met on 23 June 2026
      When the duties are decided on 1 July 2026
      Then the duty "exclusion.review_panel" for the review application is met, due on 23 June 2026
      And the local authority holds the duty
      And the duty cites "SI 2012/1033 reg 16(2)"
      And the duty cites "SI 2012/1033 Sch 1 para 2(1)"

    Scenario: Applied a day too late: no review is owed
      Given the parent given notice on Monday 11 May 2026 of the decision not to reinstate the pupil
      And an independent review applied for on Wednesday 3 June 2026 against the notice not to reinstate, arranged by the local authority
      When the duties are decided on 1 July 2026
      Then no duty "exclusion.review_panel" applies

    Scenario: An application that names no notice is not checked against the time limit
      Given an independent review applied for on Wednesday 3 June 2026, arranged by the Academy
      When the duties are decided on 1 July 2026
      Then the duty "exclusion.review_panel" for the review application is overdue, due on 24 June 2026
      And the school holds the duty

  Rule: exclusion.further_notice - the further notice at least 48 hours before the education starts

    # SI 2007/1870 reg 6(3): where the details of the education are not known when the first
    # notice is due, "the information must be provided in a further notice without delay and not
    # less than 48 hours before the start of that suitable full-time education". Only dates are
    # recorded, so 48 hours are read as 1 clear day, a breach only where the dates show one: for
    # education starting on Monday 8 June 2026 the notice is due by Saturday 6 June (Sunday clear;
    # a notice that Saturday may have been 48 hours ahead, one on the Sunday cannot have been).
    Scenario Outline: The further notice before education starting on Monday 8 June 2026
      Given a suspension of 10 school days starting on Monday 1 June 2026
      And the parent given the further notice of the education on <given>
      And full-time education started on Monday 8 June 2026 for the latest exclusion, its details owed in a further notice
      When the duties are decided on 30 June 2026
      Then the duty "exclusion.further_notice" for the full-time education is <status>
      And the school holds the duty
      And the duty cites "SI 2007/1870 reg 6(3)"

      Examples:
        | given               | status   |
        | Thursday 4 June 2026 | met      |
        | Friday 5 June 2026   | met      |
        | Saturday 6 June 2026 | met      |
        | Sunday 7 June 2026   | breached |

    Scenario: No further notice at all is breached
      Given a suspension of 10 school days starting on Monday 1 June 2026
      And full-time education started on Monday 8 June 2026 for the latest exclusion, its details owed in a further notice
      When the duties are decided on 30 June 2026
      Then the duty "exclusion.further_notice" for the full-time education is breached
