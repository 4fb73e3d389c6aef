Feature: Alternative provision placements
  Statutory guidance (Arranging alternative provision, 2025) says a placement should have clear
  objectives and a planned end, should be reviewed against its objectives (this standard uses
  an illustrative 6 weeks from the start), and the pupil's destination should be recorded when
  it ends. Whoever arranged the placement (the school or the local authority) holds the first
  three duties; the local authority records destinations. These are "should" duties, added in
  version 1.1.0.

  A placement starting on Monday 7 January 2030 should be reviewed by 18 February 2030. (The
  scenarios shared with the 2.0.0 draft are dated after 1 September 2029, when the draft's
  time limit for non-school placements would take effect; see draft_proposals.feature.)

  Background:
    Given a child born on 14 March 2017

  @v1.1.0
  Rule: ap.placement_objectives, ap.placement_planned_end, ap.placement_review and ap.destination_recorded

    Scenario: A well planned placement
      Given a tier 2 placement in registered alternative provision arranged by the school started on Monday 7 January 2030 with clear objectives
      And the placement is planned to end on 5 April 2030
      And the placement reviewed on 15 February 2030
      And the placement ended on 5 April 2030 and the pupil went to their home school
      When the duties are decided on 1 May 2030
      Then the duty "ap.placement_objectives" for the placement is met, with no due date
      And the school holds the duty
      And the duty is a "should"
      And the duty cites "Arranging alternative provision (DfE statutory guidance, 2025)"
      And the duty "ap.placement_planned_end" for the placement is met
      And the school holds the duty
      And the duty "ap.placement_review" for the placement is met, due on 18 February 2030
      And the duty was satisfied by the placement review
      And the school holds the duty
      And the duty "ap.destination_recorded" for the placement ending is met
      And the local authority holds the duty
      And the duty is a "should"

    @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
    Scenario: A placement without clear objectives, arranged by the local authority
      Given a tier 3 placement in registered alternative provision arranged by the local authority started on 7 January 2030 without clear objectives
      And the placement is planned to end on 5 April 2030
      When the duties are decided on 1 February 2030
      Then the duty "ap.placement_objectives" for the placement is breached
      And the local authority holds the duty
      And the duty "ap.placement_planned_end" for the placement is met

    @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
    Scenario: A placement with no planned end
      Given a tier 2 placement in registered alternative provision arranged by the school started on 7 January 2030 with clear objectives
      When the duties are decided on 1 February 2030
      Then the duty "ap.placement_planned_end" for the placement is breached, with no due date
      And the school holds the duty

    @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
    Scenario Outline: The review on the days around the due date
      Given a tier 1 placement in registered alternative provision arranged by the school started on 7 January 2030 with clear objectives
      And the placement reviewed on <reviewed>
      When the duties are decided on 1 May 2030
      Then the duty "ap.placement_review" for the placement is <status>, due on 18 February 2030

      Examples:
        | reviewed         | status |
        | 17 February 2030 | met    |
        | 18 February 2030 | met    |
        | 19 February 2030 | late   |

    @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
    Scenario: No review is pending on the due date and overdue the next day
      Given a tier 2 placement in registered alternative provision arranged by the local authority started on 7 January 2030 with clear objectives
      When the duties are decided on 18 February 2030
      Then the duty "ap.placement_review" for the placement is pending, due on 18 February 2030
      And the local authority holds the duty
      When the duties are decided on 19 February 2030
      Then the duty "ap.placement_review" for the placement is overdue, due on 18 February 2030

    @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
    Scenario: Reviewing a second placement does not review the first
      Given a tier 2 placement in registered alternative provision arranged by the school started on 7 January 2030 with clear objectives
      And a tier 2 placement in registered alternative provision arranged by the school started on 14 January 2030 with clear objectives
      And the second placement reviewed on 11 February 2030
      When the duties are decided on 1 March 2030
      Then the duty "ap.placement_review" for the first placement is overdue, due on 18 February 2030
      And the duty "ap.placement_review" for the second placement is met, due on 25 February 2030

    Scenario: An unknown destination is not recorded
      Given a tier 2 placement in registered alternative provision arranged by the school started on 7 January 2030 with clear objectives
      And the placement ended on 5 April 2030 and the pupil's destination is unknown
      When the duties are decided on 1 May 2030
      Then the duty "ap.destination_recorded" for the end of the placement is breached
      And the local authority holds the duty

    Scenario Outline: Any known destination is recorded, even no education
      Given a tier 3 placement in registered alternative provision arranged by the local authority started on 7 January 2030 with clear objectives
      And the placement ended on 5 April 2030 and the pupil went to <destination>
      When the duties are decided on 1 May 2030
      Then the duty "ap.destination_recorded" for the placement ending is met

      Examples:
        | destination                 |
        | a new school                |
        | a special school            |
        | further education           |
        | employment or training      |
        | other alternative provision |
        | no education                |

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: In version 1.1.0 a non-school placement has the same duties and no time limit

    Scenario: A non-school placement in 2025
      Given a tier 2 placement in non-school alternative provision arranged by the school started on 6 January 2025 with clear objectives
      And the placement is planned to end on 4 April 2025
      And the placement reviewed on 14 February 2025
      When the duties are decided on 1 May 2025
      Then the duty "ap.placement_review" for the placement is met, due on 17 February 2025
      And the duty "ap.placement_planned_end" for the placement is met
      And exactly 3 duties apply

  @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0
  Rule: In version 1.2.0 the destination on leaving is not a duty (a proposal, not law in force)

    Scenario: A well planned placement, with no duty to record its destination
      Given a tier 2 placement in registered alternative provision arranged by the school started on Monday 7 January 2030 with clear objectives
      And the placement is planned to end on 5 April 2030
      And the placement reviewed on 15 February 2030
      And the placement ended on 5 April 2030 and the pupil's destination is unknown
      When the duties are decided on 1 May 2030
      Then the duty "ap.placement_objectives" for the placement is met, with no due date
      And the school holds the duty
      And the duty "ap.placement_planned_end" for the placement is met
      And the duty "ap.placement_review" for the placement is met, due on 18 February 2030
      And exactly 3 duties apply
