Feature: The proposals of the illustrative 2.0.0 draft
  The 2.0.0 draft is illustrative: it is never chosen by default, so sendrules test names it
  (send-ap@2.0.0-draft) in every request. It proposes four changes to version 1.1.0:
    1. schools write an individual support plan (ISP) with the parents and review it at least
       every 12 months (isp.annual_review);
    2. EHC plans are reviewed every 12 months only for children under 5 and for young people in
       Year 12 and above (ehc.annual_review);
    3. a time limit, 12 weeks, on non-school (unregistered) alternative provision
       (ap.non_school_time_limit);
    4. Band 1 in mainstream rises from 1,600 to 2,000 (provision.band row 2).
  The new time limits take effect on 1 September 2029: a clock that starts before then cannot
  be decided under the draft ("parameter_not_in_force").

  @v2.0.0-draft
  Rule: isp.annual_review - review the individual support plan with the parents within 12 months

    Background:
      Given a child born on 14 March 2021

    Scenario: The plan is reviewed within 12 months, and the review starts the next 12
      Given the school wrote an individual support plan with the parents on Monday 3 September 2029
      And the individual support plan reviewed with the parents on 2 September 2030
      When the duties are decided on 1 October 2030
      Then the duty "isp.annual_review" for the individual support plan is met, due on 3 September 2030
      And the duty was satisfied by the ISP review
      And the school holds the duty
      And the duty is a "must"
      And the duty cites "Proposed: Schools White Paper, Every Child Achieving and Thriving (February 2026)"
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

    Scenario: A plan written before the proposal takes effect cannot be decided under the draft
      Given the school wrote an individual support plan with the parents on 31 August 2029
      When the duties are decided on 1 October 2029
      Then the decision is refused with "parameter_not_in_force"

  @v2.0.0-draft
  Rule: ehc.annual_review in the draft - only under 5 and from Year 12

    Scenario: A child in Year 5 has no annual review under the draft
      Given a child born on 14 March 2015
      And the final EHC plan issued on 23 May 2025
      When the duties are decided on 1 June 2026
      Then no duty "ehc.annual_review" applies

    Scenario: A young person in Year 12 keeps the annual review
      Given a young person born on 14 March 2008
      And the final EHC plan issued on 23 May 2025
      And a review meeting held on 12 May 2026
      When the duties are decided on 1 June 2026
      Then the duty "ehc.annual_review" for the final plan is met, due on 22 May 2026
      And the local authority holds the duty
      And the duty cites "Children and Families Act 2014 s44(1)"
      And the duty cites "Proposed: SEND reform consultation (February 2026)"

    Scenario Outline: A young person's review on the days around the due date
      Given a young person born on 14 March 2008
      And the final EHC plan issued on 23 May 2025
      And a review meeting held on <held>
      When the duties are decided on 1 June 2026
      Then the duty "ehc.annual_review" for the final plan is <status>, due on 22 May 2026

      Examples:
        | held        | status |
        | 22 May 2026 | met    |
        | 23 May 2026 | late   |

    Scenario: A young person's review not held by the due date is overdue, unless the plan ceased first
      Given a young person born on 14 March 2008
      And the final EHC plan issued on 23 May 2025
      When the duties are decided on 23 May 2026
      Then the duty "ehc.annual_review" for the final plan is overdue, due on 22 May 2026
      Given the plan ceased on 1 March 2026
      When the duties are decided on 23 May 2026
      Then no duty "ehc.annual_review" applies

    Scenario: A child under 5 keeps the annual review
      Given a child born on 3 June 2021
      And the final EHC plan issued on 31 August 2024
      When the duties are decided on 1 March 2025
      Then the duty "ehc.annual_review" for the final plan is pending, due on 30 August 2025

    Scenario: A plan made the day before the fifth birthday is reviewed within 12 months
      Given a child born on 3 June 2021
      And the final EHC plan issued on 2 June 2026
      When the duties are decided on 1 July 2026
      Then the duty "ehc.annual_review" for the final plan is pending, due on 1 June 2027

    Scenario: A plan made on the fifth birthday is not
      Given a child born on 3 June 2021
      And the final EHC plan issued on 3 June 2026
      When the duties are decided on 1 July 2026
      Then no duty "ehc.annual_review" applies

    Scenario: Year 11 at the plan, Year 12 at the next review
      Given a young person born on 1 September 2008
      And the final EHC plan issued on 23 May 2025
      And a review meeting held on 15 September 2025
      When the duties are decided on 1 October 2025
      Then no duty "ehc.annual_review" applies for the final plan
      And the duty "ehc.annual_review" for the review meeting is pending, due on 14 September 2026

    Scenario: The oldest in the year group (born 31 August) is in Year 12
      Given a young person born on 31 August 2008
      And the final EHC plan issued on 23 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.annual_review" for the final plan is pending, due on 22 May 2026

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0
  Rule: ehc.annual_review in version 1.1.0, for comparison

    Scenario: A child in Year 5 has an annual review under version 1.1.0
      Given a child born on 14 March 2015
      And the final EHC plan issued on 23 May 2025
      When the duties are decided on 1 June 2026
      Then the duty "ehc.annual_review" for the final plan is overdue, due on 22 May 2026

  @v2.0.0-draft
  Rule: ap.non_school_time_limit - at most 12 weeks in non-school alternative provision

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
      And the duty is a "must"
      And the duty cites "Proposed: Strengthening protections in unregistered alternative provision (DfE consultation, 2024)"

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

    Scenario: A non-school placement that started before the proposal takes effect cannot be decided under the draft
      Given a tier 2 placement in non-school alternative provision arranged by the school started on 6 January 2025 with clear objectives
      When the duties are decided on 1 May 2025
      Then the decision is refused with "parameter_not_in_force"

  @v2.0.0-draft
  Rule: provision.band in the draft - Band 1 in mainstream rises to 2,000

    Scenario: Band 1 in mainstream tops up 2,000
      Given a child born on 14 March 2015
      And the child's needs identified on 3 March 2025 as SPLD at level 2 in mainstream
      When the duties are decided on 1 April 2025
      Then the expected provision from "provision.band" is row 2: band "Band 1", top-up 2,000, the notional 6,000 applies
