Feature: The proposals of the illustrative 2.0.0 draft
  The 2.0.0 draft shows how the proposals of the SEND and AP Green Paper ("SEND Review: right
  support, right place, right time", 29 March 2022) would read as standards. It is illustrative
  and never chosen by default, so sendrules test names it (send-ap@2.0.0-draft) in every
  request. Its law in force is version 1.3.0's, unchanged: the scenarios of 1.3.0 are tagged for
  the draft too. On top of it, each proposal is a "should" (none is law: each would need new
  legislation or guidance) that applies only to clocks starting on or after 1 September 2029,
  with placeholder numbers:
    1. a national standard: support starts within 4 weeks of a child's needs being identified at
       the first level (Green Paper chapters 2 and 3; standards.support_after_identification);
    2. the integrated care board agrees the health provision of a draft EHC plan within the
       family's 15-day comment period (chapter 5; icb.health_provision_agreed);
    3. the alternative provision service: a post-16 destination after alternative provision is
       checked within 30 weeks to see whether it was sustained (chapter 4;
       ap.post16_destination_checked), and every destination on leaving is recorded (chapter 4;
       ap.destination_recorded);
    4. national bands and tariffs: the banding table cites the proposal, and Band 1 in mainstream
       is a placeholder 2,000 (chapter 5; provision.band row 2).
  Two later proposals are kept and labelled: individual support plans reviewed every 12 months
  (Schools White Paper 2026; isp.annual_review) and 12 weeks at most in non-school alternative
  provision (consultation 2024; ap.non_school_time_limit).

  @v2.0.0-draft
  Rule: standards.support_after_identification - support within 4 weeks of needs being identified (proposed)

    Background:
      Given a child born on 14 March 2021

    Scenario: Support starts within 4 weeks
      Given the child's needs identified on Monday 3 September 2029 as SLCN at level 1 in mainstream
      And SEN support started on 24 September 2029
      When the duties are decided on 1 November 2029
      Then the duty "standards.support_after_identification" for the needs is met, due on 1 October 2029
      And the duty was satisfied by the start of SEN support
      And the school holds the duty
      And the duty is a "should"
      And the duty cites "SEND and AP Green Paper (2022) ch 2"
      And the duty cites "SEND and AP Green Paper (2022) ch 3"

    Scenario Outline: Support on the days around the due date
      Given the child's needs identified on 3 September 2029 as SLCN at level 1
      And SEN support <how> on <date>
      When the duties are decided on 1 November 2029
      Then the duty "standards.support_after_identification" for the needs is <status>, due on 1 October 2029

      Examples:
        | how                         | date             | status |
        | started                     | 30 September 2029 | met    |
        | reviewed with the parents   | 1 October 2029   | met    |
        | started                     | 2 October 2029   | late   |

    Scenario: No support is pending on the due date and overdue the next day
      Given the child's needs identified on 3 September 2029 as ASD at level 1 in post-16
      When the duties are decided on 1 October 2029
      Then the duty "standards.support_after_identification" for the needs is pending, due on 1 October 2029
      When the duties are decided on 2 October 2029
      Then the duty "standards.support_after_identification" for the needs is overdue, due on 1 October 2029

    Scenario: Needs at a higher level are not this standard's
      Given the child's needs identified on 3 September 2029 as ASD at level 3 in mainstream
      When the duties are decided on 1 November 2029
      Then no duty "standards.support_after_identification" applies

    Scenario: Needs identified before the proposal takes effect bring no proposed duty
      Given the child's needs identified on 31 August 2029 as SLCN at level 1 in mainstream
      When the duties are decided on 1 November 2029
      Then no duty "standards.support_after_identification" applies

  @v2.0.0-draft
  Rule: icb.health_provision_agreed - the ICB agrees the health provision within the 15 days on the draft plan (proposed)

    Background:
      Given a child born on 14 March 2021

    Scenario: The ICB agrees within the comment period
      Given the draft EHC plan specifying health provision issued on Monday 3 September 2029
      And the ICB agreed the health provision on 10 September 2029
      When the duties are decided on 1 October 2029
      Then the duty "icb.health_provision_agreed" for the draft plan is met, due on 17 September 2029
      And the duty was satisfied by the ICB agreement
      And the ICB holds the duty
      And the duty is a "should"
      And the duty cites "SEND and AP Green Paper (2022) ch 5"
      And the duty cites "Children and Families Act 2014 s26(3)"

    Scenario Outline: The agreement on the days around the due date (day 15, beginning with the draft)
      Given the draft EHC plan specifying health provision issued on 3 September 2029
      And the ICB agreed the health provision on <agreed>
      When the duties are decided on 1 October 2029
      Then the duty "icb.health_provision_agreed" for the draft plan is <status>, due on 17 September 2029

      Examples:
        | agreed            | status |
        | 16 September 2029 | met    |
        | 17 September 2029 | met    |
        | 18 September 2029 | late   |

    Scenario: No agreement is pending on the due date and overdue the next day
      Given the draft EHC plan specifying health provision issued on 3 September 2029
      When the duties are decided on 17 September 2029
      Then the duty "icb.health_provision_agreed" for the draft plan is pending, due on 17 September 2029
      When the duties are decided on 18 September 2029
      Then the duty "icb.health_provision_agreed" for the draft plan is overdue, due on 17 September 2029

    Scenario: A draft plan with no health provision needs no agreement
      Given the draft EHC plan issued on 3 September 2029
      When the duties are decided on 1 October 2029
      Then no duty "icb.health_provision_agreed" applies

    Scenario: A draft plan before the proposal takes effect brings no proposed duty
      Given the draft EHC plan specifying health provision issued on 31 August 2029
      When the duties are decided on 1 October 2029
      Then no duty "icb.health_provision_agreed" applies

  @v2.0.0-draft
  Rule: ap.post16_destination_checked - a post-16 destination after alternative provision is checked within 30 weeks (proposed)

    Background:
      Given a young person born on 14 March 2014
      And a tier 3 placement in registered alternative provision arranged by the local authority started on 3 September 2029 with clear objectives
      And the placement is planned to end on 19 July 2030

    Scenario: The destination is checked after two terms
      Given the placement ended on Friday 19 July 2030 and the pupil went to further education
      And the young person's destination checked on 7 February 2031 and found sustained
      When the duties are decided on 1 March 2031
      Then the duty "ap.post16_destination_checked" for the end of the placement is met, due on 14 February 2031
      And the duty was satisfied by the destination check
      And the local authority holds the duty
      And the duty is a "should"
      And the duty cites "SEND and AP Green Paper (2022) ch 4"

    Scenario Outline: The check on the days around the due date
      Given the placement ended on 19 July 2030 and the pupil went to employment or training
      And the young person's destination checked on <checked> and found not sustained
      When the duties are decided on 1 March 2031
      Then the duty "ap.post16_destination_checked" for the end of the placement is <status>, due on 14 February 2031

      Examples:
        | checked          | status |
        | 13 February 2031 | met    |
        | 14 February 2031 | met    |
        | 15 February 2031 | late   |

    Scenario: No check is pending on the due date and overdue the next day
      Given the placement ended on 19 July 2030 and the pupil went to further education
      When the duties are decided on 14 February 2031
      Then the duty "ap.post16_destination_checked" for the end of the placement is pending, due on 14 February 2031
      When the duties are decided on 15 February 2031
      Then the duty "ap.post16_destination_checked" for the end of the placement is overdue, due on 14 February 2031

    Scenario: A return to school is not a post-16 destination
      Given the placement ended on 19 July 2030 and the pupil went to a new school
      When the duties are decided on 1 March 2031
      Then no duty "ap.post16_destination_checked" applies

  @v2.0.0-draft
  Rule: ap.destination_recorded - where the pupil goes is recorded when a placement ends (proposed)

    Background:
      Given a child born on 14 March 2017
      And a tier 2 placement in registered alternative provision arranged by the school started on 7 January 2030 with clear objectives

    Scenario: A known destination is recorded
      Given the placement ended on 5 April 2030 and the pupil went to their home school
      When the duties are decided on 1 May 2030
      Then the duty "ap.destination_recorded" for the placement ending is met
      And the local authority holds the duty
      And the duty is a "should"
      And the duty cites "SEND and AP Green Paper (2022) ch 4"
      And the duty "ap.placement_objectives" for the placement is met, with no due date
      And the school holds the duty

    Scenario: An unknown destination is not recorded
      Given the placement ended on 5 April 2030 and the pupil's destination is unknown
      When the duties are decided on 1 May 2030
      Then the duty "ap.destination_recorded" for the end of the placement is breached

    Scenario: A placement that ended before the proposal takes effect brings no proposed duty
      Given the placement ended on 31 August 2029 and the pupil's destination is unknown
      When the duties are decided on 1 May 2030
      Then no duty "ap.destination_recorded" applies

  @v2.0.0-draft
  Rule: isp.annual_review - a later proposal (White Paper 2026): review the individual support plan within 12 months

    Background:
      Given a child born on 14 March 2021

    Scenario: The plan is reviewed within 12 months, and the review starts the next 12
      Given the school wrote an individual support plan with the parents on Monday 3 September 2029
      And the individual support plan reviewed with the parents on 2 September 2030
      When the duties are decided on 1 October 2030
      Then the duty "isp.annual_review" for the individual support plan is met, due on 3 September 2030
      And the duty was satisfied by the ISP review
      And the school holds the duty
      And the duty is a "should"
      And the duty cites "Schools White Paper 2026, Every Child Achieving and Thriving"
      And the duty "isp.annual_review" for the individual support plan review is pending, due on 2 September 2031

    Scenario Outline: A review on the days around the due date
      Given the school wrote an individual support plan with the parents on 3 September 2029
      And the individual support plan reviewed with the parents on <reviewed>
      When the duties are decided on 1 October 2030
      Then the duty "isp.annual_review" for the ISP is <status>, due on 3 September 2030

      Examples:
        | reviewed         | status |
        | 2 September 2030 | met    |
        | 3 September 2030 | met    |
        | 4 September 2030 | late   |

    Scenario: No review is pending on the due date and overdue the next day
      Given the school wrote an individual support plan with the parents on 3 September 2029
      When the duties are decided on 3 September 2030
      Then the duty "isp.annual_review" for the ISP is pending, due on 3 September 2030
      When the duties are decided on 4 September 2030
      Then the duty "isp.annual_review" for the ISP is overdue, due on 3 September 2030

    Scenario: A plan written on 29 February is due by 28 February the next year
      Given the school wrote an individual support plan with the parents on 29 February 2032
      When the duties are decided on 1 March 2033
      Then the duty "isp.annual_review" for the ISP is overdue, due on 28 February 2033

    Scenario: A plan written on the day the proposal takes effect
      Given the school wrote an individual support plan with the parents on 1 September 2029
      When the duties are decided on 1 October 2029
      Then the duty "isp.annual_review" for the ISP is pending, due on 1 September 2030

    Scenario: A plan written the day before brings no proposed duty (and no refusal)
      Given the school wrote an individual support plan with the parents on 31 August 2029
      When the duties are decided on 1 October 2029
      Then no duty "isp.annual_review" applies

  @v2.0.0-draft
  Rule: ap.non_school_time_limit - a later proposal (consultation 2024): at most 12 weeks in non-school alternative provision

    Background:
      Given a child born on 14 March 2017

    Scenario: A non-school placement that ends within 12 weeks
      Given a tier 2 placement in non-school alternative provision arranged by the local authority started on Monday 3 September 2029 with clear objectives
      And the placement is planned to end on 23 November 2029
      And the placement ended on 23 November 2029 and the pupil went to their home school
      When the duties are decided on 1 December 2029
      Then the duty "ap.non_school_time_limit" for the placement is met, due on 26 November 2029
      And the duty was satisfied by the placement ending
      And the local authority holds the duty
      And the duty is a "should"
      And the duty cites "Strengthening protections in unregistered alternative provision (DfE consultation, 2024)"

    Scenario Outline: The placement ending on the days around the limit
      Given a tier 2 placement in non-school alternative provision arranged by the school started on 3 September 2029 with clear objectives
      And the placement ended on <ended> and the pupil went to a new school
      When the duties are decided on 1 December 2029
      Then the duty "ap.non_school_time_limit" for the placement is <status>, due on 26 November 2029
      And the school holds the duty

      Examples:
        | ended            | status |
        | 25 November 2029 | met    |
        | 26 November 2029 | met    |
        | 27 November 2029 | late   |

    Scenario: A placement still running is pending on the limit and overdue the day after
      Given a tier 2 placement in non-school alternative provision arranged by the school started on 3 September 2029 with clear objectives
      When the duties are decided on 26 November 2029
      Then the duty "ap.non_school_time_limit" for the placement is pending, due on 26 November 2029
      When the duties are decided on 27 November 2029
      Then the duty "ap.non_school_time_limit" for the placement is overdue, due on 26 November 2029

    Scenario: A registered placement has no time limit
      Given a tier 2 placement in registered alternative provision arranged by the school started on 3 September 2029 with clear objectives
      When the duties are decided on 1 June 2030
      Then no duty "ap.non_school_time_limit" applies

    Scenario: A non-school placement that started before the proposal takes effect brings no proposed duty (and no refusal)
      Given a tier 2 placement in non-school alternative provision arranged by the school started on 6 January 2025 with clear objectives
      When the duties are decided on 1 May 2025
      Then no duty "ap.non_school_time_limit" applies
      And the duty "ap.placement_review" for the placement is overdue, due on 17 February 2025

  @v2.0.0-draft
  Rule: provision.band in the draft - a national tariff (proposed); Band 1 in mainstream is a placeholder 2,000

    Scenario: Band 1 in mainstream tops up 2,000
      Given a child born on 14 March 2015
      And the child's needs identified on 3 March 2025 as SPLD at level 2 in mainstream
      When the duties are decided on 1 April 2025
      Then the expected provision from "provision.band" is row 2: band "Band 1", top-up 2,000, the notional 6,000 applies

  @v2.0.0-draft
  Rule: ehc.annual_review in the draft - the law in force, as in 1.3.0

    Scenario: A child in Year 5 keeps the annual review (reviews mainly at phase transfer were a 2026 proposal, not the Green Paper's)
      Given a child born on 14 March 2015
      And the final EHC plan issued on 23 May 2025
      When the duties are decided on 1 June 2026
      Then the duty "ehc.annual_review" for the final plan is overdue, due on 22 May 2026
      And the duty is a "must"
      And the duty cites "Children and Families Act 2014 s44(1)"
